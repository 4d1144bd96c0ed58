package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.testkit.TestClassPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keygen}, {@code sign} and {@code verify} run in-process with captured streams. */
class ProofCommandsTest {
  private static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String PK = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String PAYLOAD =
      "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,\"workload_mode\":\"sim\","
          + "\"elapsed_ms\":150,\"client_version\":\"launcher-miner/0.2.0\",\"ts\":1710000000}";
  private static final String SIGNATURE =
      "a24aa02994a95d4161e134541762e814dc9b79d0b7d8d4141e5e0fee8d89a404"
          + "9a235f61da666fa7e191862608cc88d1e22b98151b9937ca2700ae99faec6501";

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(InputStream stdin, String... args) {
    PrintStream oldOut = System.out;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setIn(stdin);
      CommandLine cli = KasComputeCli.newCommandLine();
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setIn(oldIn);
    }
  }

  static Run run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void keygenFromSeedPrintsTheRfc8032Test1Key() {
    Run r = run("keygen", "--seed-hex", SEED);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("{\"secret_key_hex\":\"" + SEED + "\",\"public_key_hex\":\"" + PK
        + "\",\"node_id\":\"kc_d75a980182b10ab7\"}\n");
  }

  @Test
  void keygenWithoutSeedPrintsAConsistentFreshKey() {
    Run a = run("keygen");
    Run b = run("keygen");
    assertThat(a.exit()).isZero();
    assertThat(a.out()).isNotEqualTo(b.out());
    String seed = a.out().substring(19, 83);
    NodeKeyPair keys = NodeKeyPair.fromSeedHex(seed);
    assertThat(a.out()).contains("\"public_key_hex\":\"" + keys.publicKey().hex() + "\"")
        .contains("\"node_id\":\"" + keys.nodeId().value() + "\"");
  }

  @Test
  void keygenRefusesABadSeed() {
    Run r = run("keygen", "--seed-hex", "abcd");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: invalid_secret_key:");
  }

  @Test
  void signThenVerifyRoundTripsAndReportsEachBadLineInOrder() throws IOException {
    String second = PAYLOAD.replace("\"job_id\":123", "\"job_id\":124").replace("{", "{\"x\":1,");
    Path payloads = write("payloads.jsonl", PAYLOAD + "\n\n" + second + "\n");
    Run signed = run("sign", "--secret-key-hex", SEED, payloads.toString());
    assertThat(signed.exit()).isZero();
    List<String> lines = signed.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo(PAYLOAD.substring(0, PAYLOAD.length() - 1)
        + ",\"proof_hash\":\"ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a\","
        + "\"signature\":\"" + SIGNATURE + "\",\"public_key_hex\":\"" + PK + "\"}");
    assertThat(lines.get(1)).doesNotContain("\"x\"");

    Path proofs = write("proofs.jsonl", lines.get(0) + "\n"
        + lines.get(1).replace("\"work_units\":42", "\"work_units\":43") + "\n"
        + "\n"
        + "{oops\n"
        + lines.get(1) + "\n");
    Run verified = run("verify", "--json", "--threads", "2", proofs.toString());
    assertThat(verified.exit()).isEqualTo(1);
    assertThat(verified.out()).isEqualTo(
        "{\"line\":1,\"valid\":true,\"scheme\":\"digest\"}\n"
            + "{\"line\":2,\"valid\":false,\"reason\":\"hash_mismatch\",\"node_id\":\"kc_node_01\","
            + "\"job_id\":124}\n"
            + "{\"line\":4,\"valid\":false,\"reason\":\"malformed_json\"}\n"
            + "{\"line\":5,\"valid\":true,\"scheme\":\"digest\"}\n");
    assertThat(verified.err())
        .contains("verified 4 proofs: 2 valid, 2 invalid")
        .contains("hash_mismatch: 1")
        .contains("malformed_json: 1")
        .contains("node \"kc_node_01\": 2 valid, 1 invalid, work_units 84");

    Run text = run("verify", "--threads", "1", proofs.toString());
    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out().lines()).hasSize(2).first().asString().startsWith("line 2: hash_mismatch: ");
  }

  @Test
  void verifyReadsStdinAndExitsZeroWhenAllAreValid() {
    Run signed = run(new ByteArrayInputStream(PAYLOAD.getBytes(StandardCharsets.UTF_8)),
        "sign", "--secret-key-hex", SEED, "-");
    Run r = run(new ByteArrayInputStream(signed.out().getBytes(StandardCharsets.UTF_8)), "verify");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("verified 1 proofs: 1 valid, 0 invalid");
  }

  @Test
  void verifyOfAnUnreadableInputExitsTwo() {
    Run r = run("verify", dir.resolve("missing.jsonl").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: io: cannot read " + dir.resolve("missing.jsonl")
        + ": no such file\n");
    Run directory = run("verify", dir.toString());
    assertThat(directory.exit()).isEqualTo(2);
    assertThat(directory.err()).startsWith("error: io: cannot read " + dir + ": ")
        .doesNotContain("Exception");
    Run threads = run("verify", "--threads", "0", "-");
    assertThat(threads.exit()).isEqualTo(2);
    assertThat(threads.err()).isEqualTo("error: usage: --threads must be >= 1, got 0\n");
    assertThat(run("verify", "--max-nodes", "-1", "-").exit()).isEqualTo(2);
    assertThat(run("verify", "--no-such-option").exit()).isEqualTo(2);
  }

  @Test
  void signStopsAtABadLineWithItsNumber() throws IOException {
    Path payloads = write("bad.jsonl", PAYLOAD + "\n" + PAYLOAD.replace("\"ts\":1710000000", "\"ts\":-1"));
    Run r = run("sign", "--secret-key-hex", SEED, payloads.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines()).hasSize(1);
    assertThat(r.err()).startsWith("error: field_out_of_range: " + payloads + " line 2: ");
  }

  @Test
  void signTakesItsKeyFromAFileOfHexOrOfKeygenOutput() throws IOException {
    Path payloads = write("payloads.jsonl", PAYLOAD + "\n");
    String expected = run("sign", "--secret-key-hex", SEED, payloads.toString()).out();
    Path hexFile = write("node.hex", "  " + SEED + "\n");
    Path jsonFile = write("node.key", run("keygen", "--seed-hex", SEED).out());

    Run fromHex = run("sign", "--secret-key-file", hexFile.toString(), payloads.toString());
    Run fromJson = run("sign", "--secret-key-file", jsonFile.toString(), payloads.toString());

    assertThat(fromHex.exit()).isZero();
    assertThat(fromHex.out()).isEqualTo(expected).contains(SIGNATURE);
    assertThat(fromJson.exit()).isZero();
    assertThat(fromJson.out()).isEqualTo(expected);
  }

  @Test
  void signRefusesABadKeyFileWithoutEchoingIt() throws IOException {
    Path payloads = write("payloads.jsonl", PAYLOAD + "\n");
    Path shortKey = write("short.hex", SEED.substring(2));
    Path noKey = write("nokey.json", "{\"public_key_hex\":\"" + PK + "\"}");

    Run wrong = run("sign", "--secret-key-file", shortKey.toString(), payloads.toString());
    Run missingField = run("sign", "--secret-key-file", noKey.toString(), payloads.toString());
    Run missingFile =
        run("sign", "--secret-key-file", dir.resolve("none").toString(), payloads.toString());
    Run both = run("sign", "--secret-key-hex", SEED, "--secret-key-file", shortKey.toString());
    Run neither = run("sign", payloads.toString());

    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).startsWith("error: invalid_secret_key: key file ")
        .doesNotContain(SEED.substring(2));
    assertThat(wrong.out()).isEmpty();
    assertThat(missingField.exit()).isEqualTo(2);
    assertThat(missingField.err()).startsWith("error: missing_field: ");
    assertThat(missingFile.exit()).isEqualTo(2);
    assertThat(missingFile.err()).isEqualTo(
        "error: io: cannot read " + dir.resolve("none") + ": no such file\n");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("Missing required argument");
  }

  /** The first launcher-scheme vector: TEST 1 key, pf|kc_node_01|123|42|1710000000. */
  private static final String LAUNCHER_SIGNATURE =
      "700868b9178ac45d79e8acc4fe61c660e869da6eeccd3984cff9a7170d887dbe"
          + "08b98c7c77dbdb736d8c79e7569ee39dc8bbc2159837b5143f2228cb6f8f8304";

  @Test
  void signsAndVerifiesInTheLauncherScheme() throws IOException {
    String bare = "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,"
        + "\"timestamp_unix\":1710000000}";
    String launcherBody = "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,"
        + "\"workload_mode\":\"sim\",\"elapsed_ms\":150,\"client_version\":\"protocol-v1\","
        + "\"ts\":1710000000}";
    Path payloads = write("launcher.jsonl", bare + "\n" + launcherBody + "\n");
    Run signed = run("sign", "--scheme", "launcher", "--secret-key-hex", SEED, payloads.toString());
    assertThat(signed.exit()).as(signed.err()).isZero();
    List<String> lines = signed.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("{\"node_id\":\"kc_node_01\",\"job_id\":123,"
        + "\"work_units\":42,\"ts\":1710000000,\"signature\":\"" + LAUNCHER_SIGNATURE + "\","
        + "\"public_key_hex\":\"" + PK + "\"}");
    assertThat(lines.get(1)).doesNotContain("proof_hash").contains(LAUNCHER_SIGNATURE)
        .contains("\"elapsed_ms\":150").contains("\"client_version\":\"protocol-v1\"");

    Path proofs = write("launcher-proofs.jsonl", signed.out()
        + lines.get(1).replace("\"elapsed_ms\":150", "\"elapsed_ms\":151") + "\n"
        + lines.get(1).replace("\"work_units\":42", "\"work_units\":41") + "\n");
    Run verified = run("verify", "--json", proofs.toString());
    assertThat(verified.exit()).isEqualTo(1);
    assertThat(verified.out()).isEqualTo(
        "{\"line\":1,\"valid\":true,\"scheme\":\"launcher\"}\n"
            + "{\"line\":2,\"valid\":true,\"scheme\":\"launcher\"}\n"
            + "{\"line\":3,\"valid\":true,\"scheme\":\"launcher\"}\n"
            + "{\"line\":4,\"valid\":false,\"reason\":\"bad_signature\",\"node_id\":\"kc_node_01\","
            + "\"job_id\":123}\n");

    Path withMiner = write("miner.jsonl", bare.replace("{", "{\"miner_id\":\"m\",") + "\n");
    Run refused = run("sign", "--scheme", "launcher", "--secret-key-hex", SEED, withMiner.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).startsWith("error: wrong_type: " + withMiner + " line 1: ");
    Run digestNeedsElapsed = run("sign", "--secret-key-hex", SEED, payloads.toString());
    assertThat(digestNeedsElapsed.exit()).isEqualTo(1);
    assertThat(digestNeedsElapsed.err()).startsWith("error: missing_field: ").contains("elapsed_ms");
    Run badScheme = run("sign", "--scheme", "raw", "--secret-key-hex", SEED, payloads.toString());
    assertThat(badScheme.exit()).isEqualTo(2);
    assertThat(badScheme.err()).contains("expected digest or launcher, got raw");
  }

  @Test
  void anyJsonStringIsAValidIdAndInvalidLinesNameTheirRecord() throws IOException {
    // As sent: escapes in several forms; as printed: the minimal escaping of the payload bytes.
    String sent = "\"\\u0000\\u0009\\u001F\\\"\\\\ \\u00E9\u2028\\ud83d\\uDE00\"";
    String escaped = "\"\\u0000\\t\\u001f\\\"\\\\ \u00e9\u2028\ud83d\ude00\"";
    String payload = PAYLOAD.replace("\"kc_node_01\"", sent);
    Path payloads = write("ids.jsonl", payload + "\n" + payload.replace("\"sim\"", "\"gpu\"") + "\n");
    Run signed = run("sign", "--secret-key-hex", SEED, payloads.toString());
    assertThat(signed.exit()).as(signed.err()).isZero();
    String[] lines = signed.out().split("\n");
    Path proofs = write("ids-proofs.jsonl", lines[0] + "\n"
        + lines[1].replace("\"work_units\":42", "\"work_units\":7") + "\n"
        + "{\"node_id\":" + sent + ",\"job_id\":9}\n"
        + "{\"node_id\":5,\"job_id\":\"9\"}\n");
    Run verified = run("verify", "--json", "--threads", "1", proofs.toString());
    assertThat(verified.out()).isEqualTo(
        "{\"line\":1,\"valid\":true,\"scheme\":\"digest\"}\n"
            + "{\"line\":2,\"valid\":false,\"reason\":\"hash_mismatch\",\"node_id\":" + escaped
            + ",\"job_id\":123}\n"
            + "{\"line\":3,\"valid\":false,\"reason\":\"missing_field\",\"node_id\":" + escaped
            + ",\"job_id\":9}\n"
            + "{\"line\":4,\"valid\":false,\"reason\":\"wrong_type\"}\n");
    assertThat(verified.err()).contains("node " + escaped + ": 1 valid, 2 invalid, work_units 42");
  }

  @Test
  void theSummaryListsAtMostMaxNodesAndSumsTheRest() throws IOException {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      in.append(PAYLOAD.replace("kc_node_01", "node-" + i)).append('\n');
    }
    Path payloads = write("five.jsonl", in.toString());
    Path proofs = write("five-proofs.jsonl",
        run("sign", "--secret-key-hex", SEED, payloads.toString()).out());
    Run r = run("verify", "--max-nodes", "2", proofs.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("node \"node-0\": 1 valid").contains("node \"node-1\": 1 valid")
        .doesNotContain("node-2").contains("other nodes (beyond the first 2): 3 valid, 0 invalid,"
            + " work_units 126");
  }

  @Test
  void helpDocumentsTheExitCodes() {
    for (String command : List.of("verify", "sign", "keygen")) {
      Run help = run(command, "--help");
      assertThat(help.exit()).isZero();
      assertThat(help.out().replaceAll("\\s+", " ")).contains("Exit codes: 0")
          .contains("; 2 ").contains("; 3 internal failure");
    }
  }

  /**
   * The per-node table is bounded: a child JVM with a 64 MB heap audits 400,000 records of
   * 400,000 distinct nodes (records whose signature hex is malformed, so that the run is quick;
   * each still names its node and is tallied).
   */
  @Test
  void aMillionNodesFitInASmallHeapBecauseTheTableIsBounded() throws Exception {
    Path input = dir.resolve("many-nodes.jsonl");
    int n = 400_000;
    try (java.io.Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        w.write("{\"node_id\":\"node-with-a-fairly-long-id-" + i + "\",\"job_id\":" + i
            + ",\"work_units\":1,\"ts\":1,\"signature\":\"zz\",\"public_key_hex\":\"" + PK + "\"}\n");
      }
    }
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:+UseSerialGC", "-cp", TestClassPath.get(),
        KasComputeCli.class.getName(), "verify", "--threads", "2", input.toString())
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(err.toFile())
        .start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err);
    assertThat(p.exitValue()).as(stderr.substring(0, Math.min(500, stderr.length()))).isEqualTo(1);
    assertThat(stderr).startsWith("verified " + n + " proofs: 0 valid, " + n + " invalid\n")
        .contains("  malformed_hex: " + n + "\n")
        .contains("other nodes (beyond the first " + 100_000 + "): 0 valid, " + (n - 100_000)
            + " invalid, work_units 0");
  }

  @Test
  void serveTakesTheCoordinatorKeyFromAFile() throws Exception {
    Path keyFile = write("coordinator.key", run("keygen", "--seed-hex", SEED).out());
    CommandLine cli = KasComputeCli.newCommandLine();
    CommandLine.ParseResult parsed =
        cli.parseArgs("serve", "--coordinator-key-file", keyFile.toString());
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();

    assertThat(serve.coordinatorKey.keyPair().publicKey().hex()).isEqualTo(PK);
  }
}
