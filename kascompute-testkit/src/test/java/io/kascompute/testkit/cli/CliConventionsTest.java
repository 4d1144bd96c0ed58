package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kascompute.testkit.server.ReferenceServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The conventions every {@code kascompute} command follows (docs/cli.md). */
class CliConventionsTest {
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)|Exception|\\bat [a-z]+\\.");

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    return run(KasComputeCli::newCommandLine, args);
  }

  /**
   * Runs a command line made once System.out and System.err are redirected: picocli's default
   * execution strategy keeps the System.err of its creation and would write there.
   */
  static Run run(Supplier<CommandLine> commandLine, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errStream = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errStream, true, StandardCharsets.UTF_8));
      CommandLine cli = commandLine.get();
      cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8),
          err + errStream.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Every command's path below the root, e.g. ["dag", "hash"]. */
  static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    Deque<List<String>> todo = new ArrayDeque<>();
    todo.add(List.of());
    while (!todo.isEmpty()) {
      List<String> path = todo.poll();
      paths.add(path);
      CommandLine c = KasComputeCli.newCommandLine();
      for (String p : path) {
        c = c.getSubcommands().get(p);
      }
      for (String sub : c.getSubcommands().keySet()) {
        if (!sub.equals("help")) {
          List<String> next = new ArrayList<>(path);
          next.add(sub);
          todo.add(next);
        }
      }
    }
    return paths;
  }

  @Test
  void everyCommandPrintsItsVersionAndTheExitCodesInItsHelp() {
    List<List<String>> paths = commandPaths();
    assertThat(paths).contains(List.of("serve"), List.of("dag", "hash"), List.of("ledger", "fetch"),
        List.of("audit"), List.of("demo"), List.of("fleet"));
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--version");
      Run v = run(args.toArray(String[]::new));
      assertThat(v.exit()).as("%s --version", path).isZero();
      assertThat(v.out()).as("%s --version", path).startsWith("kascompute ").hasLineCount(1);

      args.set(args.size() - 1, "--help");
      Run h = run(args.toArray(String[]::new));
      assertThat(h.exit()).as("%s --help", path).isZero();
      assertThat(h.out().replaceAll("\\s+", " ")).as("%s --help", path)
          .contains(CliSupport.EXIT_CODES).contains("--log-level");
    }
  }

  @Test
  void theDagFastPathFollowsTheSameConventions() {
    Supplier<CommandLine> dag = () -> KasComputeCli.conventions(
        new CommandLine(new DagCommand()).setCommandName("kascompute dag"));
    Run v = run(dag, "hash", "--version");
    assertThat(v.exit()).isZero();
    assertThat(v.out()).startsWith("kascompute ");
    Run bad = run(dag, "hash", "--bogus", "x");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).hasLineCount(1).startsWith("error: usage: ");
  }

  static Stream<Arguments> badInvocations() {
    return Stream.of(
        Arguments.of(2, List.of(), "missing subcommand"),
        Arguments.of(2, List.of("no-such-command"), "no-such-command"),
        Arguments.of(2, List.of("--log-level", "loud", "keygen"), "loud"),
        Arguments.of(2, List.of("canonicalize", "@DIR/missing.json"), "missing.json"),
        Arguments.of(1, List.of("canonicalize", "@DIR/bad.json"), "malformed_json"),
        Arguments.of(2, List.of("dag", "hash", "@DIR/missing.json"), "missing.json"),
        Arguments.of(1, List.of("dag", "hash", "@DIR/bad.json"), "malformed_json"),
        Arguments.of(2, List.of("dag", "validate", "--admission", "lax", "x.json"), "lax"),
        Arguments.of(2, List.of("keygen", "--seed-hex", "zz"), "invalid_secret_key"),
        Arguments.of(2, List.of("sign"), "--secret-key"),
        Arguments.of(2, List.of("sign", "--secret-key-file", "@DIR/missing.key"), "missing.key"),
        Arguments.of(2, List.of("sign", "--secret-key-env", "KASCOMPUTE_TEST_UNSET_VARIABLE"),
            "KASCOMPUTE_TEST_UNSET_VARIABLE"),
        Arguments.of(2, List.of("verify", "@DIR/missing.jsonl"), "missing.jsonl"),
        Arguments.of(2, List.of("verify", "--threads", "0", "@DIR/bad.json"), "--threads"),
        Arguments.of(2, List.of("serve", "--port", "99999"), "99999"),
        Arguments.of(2, List.of("serve", "--port", "eighty"), "eighty"),
        Arguments.of(2, List.of("serve", "--jdbc-password-file", "@DIR/missing.pw"), "missing.pw"),
        Arguments.of(2, List.of("serve", "--jdbc-password-env", "KASCOMPUTE_TEST_UNSET_VARIABLE"),
            "KASCOMPUTE_TEST_UNSET_VARIABLE"),
        Arguments.of(2, List.of("serve", "--port", "0", "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:1/none"), "127.0.0.1:1"),
        Arguments.of(2, List.of("serve", "--port", "0", "--jdbc-password-file", "@DIR/bad.json",
            "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none?user=u"), "127.0.0.1:1/none:"),
        Arguments.of(2, List.of("fleet"), "--url"),
        Arguments.of(2, List.of("fleet", "--url", "http://127.0.0.1:1", "--duration", "1s"),
            "cannot connect to http://127.0.0.1:1"),
        Arguments.of(2, List.of("fleet", "--url", "http://127.0.0.1:1", "--nodes", "0"), "node"),
        Arguments.of(2, List.of("fleet", "--url", "http://127.0.0.1:1", "--nodes", "1",
            "--launcher-nodes", "2"), "--launcher-nodes"),
        Arguments.of(2, List.of("fleet", "--url", "http://127.0.0.1:1", "--fault-rate", "2"), "2"),
        Arguments.of(2, List.of("demo", "--nodes", "0"), "--nodes"),
        Arguments.of(2, List.of("demo", "--timeout", "soon"), "soon"),
        Arguments.of(2, List.of("ledger"), "missing subcommand"),
        Arguments.of(2, List.of("audit", "@DIR/missing.jsonl"), "--checkpoint"));
  }

  @ParameterizedTest(name = "{1} -> {0}")
  @MethodSource("badInvocations")
  void badInvocationsGiveTheirExitCodeAndOneErrorLine(int exit, List<String> args, String names)
      throws IOException {
    Files.writeString(dir.resolve("bad.json"), "{\"spec\": [", StandardCharsets.UTF_8);
    String[] argv = args.stream().map(a -> a.replace("@DIR", dir.toString())).toArray(String[]::new);
    Run r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(argv));
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).hasLineCount(1).startsWith("error: ").contains(names);
    assertThat(CLASS_NAME.matcher(r.err()).find()).as(r.err()).isFalse();
  }

  @Test
  void theLogLevelIsAcceptedOnTheRootAndOnEverySubcommand() {
    Run root = run("--log-level", "info", "keygen", "--seed-hex", "00".repeat(32));
    assertThat(root.exit()).as(root.err()).isZero();
    Run sub = run("keygen", "--log-level", "ERROR", "--seed-hex", "00".repeat(32));
    assertThat(sub.exit()).as(sub.err()).isZero();
    assertThat(sub.out()).isEqualTo(root.out());
    Run nested = run("dag", "hash", "--log-level", "warn", "--version");
    assertThat(nested.exit()).isZero();
  }

  @Test
  void keygenWritesTheSecretKeyWithModeOwnerOnlyAndNeverOverwritesWithoutForce()
      throws IOException {
    Path key = dir.resolve("node.key");
    Run made = run("keygen", "--out", key.toString());
    assertThat(made.exit()).as(made.err()).isZero();
    assertThat(made.out()).doesNotContain("secret_key_hex").contains("\"public_key_hex\":");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    String first = Files.readString(key);
    assertThat(first).startsWith("{\"secret_key_hex\":\"");

    Run again = run("keygen", "--out", key.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).hasLineCount(1).contains("refusing to overwrite").contains("--force");
    assertThat(Files.readString(key)).isEqualTo(first);

    Path loose = Files.writeString(dir.resolve("loose.key"), "old");
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    Run forced = run("keygen", "--force", "--out", loose.toString());
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(loose)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(loose)).startsWith("{\"secret_key_hex\":\"");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("node.key", "loose.key");
    }

    // the file keygen wrote is a key file sign reads
    Path payload = Files.writeString(dir.resolve("p.jsonl"), "{\"node_id\":\"kc_n\",\"job_id\":1,"
        + "\"work_units\":5,\"elapsed_ms\":3,\"ts\":1700000000}\n");
    Run signed = run("sign", "--secret-key-file", key.toString(), payload.toString());
    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("\"signature\":\"");
  }

  @Test
  void fleetProofLogAppendsToAnExistingFile() throws Exception {
    Path log = Files.writeString(dir.resolve("proofs.jsonl"), "{\"kept\":true}\n");
    try (ReferenceServer server = ReferenceServer.builder().port(0)
        .jobInterval(Duration.ofMillis(50)).build()) {
      server.start();
      Run r = run("fleet", "--url", server.uri().toString(), "--nodes", "2", "--duration", "2s",
          "--proof-log", log.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).contains("job proofs ");
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.get(0)).isEqualTo("{\"kept\":true}");
    assertThat(lines.size()).isGreaterThan(1);
    assertThat(lines.get(1)).contains("\"signature\":\"");
    assertThat(run("fleet", "--help").out().replaceAll("\\s+", " "))
        .contains("Append each accepted job proof").contains("existing lines are kept");
  }

  @Test
  void oneSeedReproducesTheDemoExactly() throws Exception {
    String a = demoSummary(7);
    String b = demoSummary(7);
    assertThat(a).contains("verdict           OK").contains("faults injected   {");
    assertThat(a).doesNotContain("faults injected   {}");
    assertThat(b).isEqualTo(a);
    assertThat(run("demo", "--help").out().replaceAll("\\s+", " "))
        .contains("With --seed N the demo runs deterministically");
  }

  private static String demoSummary(long seed) throws Exception {
    DemoCommand demo = new DemoCommand();
    demo.nodes = 4;
    demo.tasks = 60;
    demo.seed = seed;
    demo.faultRate = 0.2;
    demo.timeout = Duration.ofMinutes(2);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit;
    try (PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      exit = demo.run(err, false);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    return text.substring(text.indexOf("tasks completed"));
  }

  @Test
  void demoWritesNothingToStdoutAndQuietSilencesStderr() {
    Run r = run("demo", "--quiet", "--seed", "3", "--nodes", "2", "--tasks", "10");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void logRecordsAreOneLineInTheToolsFormat() {
    LogRecord r = new LogRecord(Level.WARNING, "job generator failed; retrying");
    r.setInstant(Instant.parse("2026-12-01T12:00:00Z"));
    r.setLoggerName("io.kascompute.testkit.server.ReferenceServer");
    r.setThrown(new IllegalStateException("store closed\nsecond line"));
    assertThat(new CliLogging.OneLine().format(r)).isEqualTo("2026-12-01T12:00:00.000Z WARN"
        + " io.kascompute.testkit.server.ReferenceServer: job generator failed; retrying:"
        + " store closed second line" + System.lineSeparator());
  }

  @Test
  void theProgressBarFitsTheTerminal() {
    for (int columns : new int[] {20, 50, 80, 200}) {
      Progress p = new Progress(new PrintStream(PrintStream.nullOutputStream()), 123_456,
          () -> 61_000, false, columns);
      try {
        assertThat(p.line().length()).as("%d columns", columns).isLessThan(columns);
        assertThat(p.line()).contains("61000/123456 tasks");
      } finally {
        p.close();
      }
    }
  }
}
