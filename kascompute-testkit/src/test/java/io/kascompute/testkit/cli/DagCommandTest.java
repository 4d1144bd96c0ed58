package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DagCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  Run run(String json, String sub) throws Exception {
    Path f = dir.resolve("dag.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return runArgs("dag", sub, f.toString());
  }

  static final String BARE = "{\"name\":\"diamond\",\"nodes\":[{\"task_id\":\"d\",\"work_units\":1},"
      + "{\"task_id\":\"c\",\"work_units\":10,\"params\":{\"seed\":7,\"model\":\"tiny\"}},"
      + "{\"task_id\":\"b\",\"work_units\":3,\"task_type\":\"gpu\"},{\"task_id\":\"a\",\"work_units\":5}],"
      + "\"edges\":[{\"from\":\"c\",\"to\":\"d\"},{\"from\":\"a\",\"to\":\"c\"},"
      + "{\"from\":\"b\",\"to\":\"d\"},{\"from\":\"a\",\"to\":\"b\"}]}";

  @Test
  void hashPrintsRootAndTaskHashesForBareSpecAndSubmitBody() throws Exception {
    String expected = "{\"dag_root_hash\":\"8b507ead13ffe02f8d4e470e6084904cbf614aed45a82d98e633bf3e7f28bff0\","
        + "\"tasks_total\":4,\"tasks\":{"
        + "\"a\":\"d93f06c04f45f014646e8ca7159c2579d7dff00abe657476e022942ed0786574\","
        + "\"b\":\"286a0918c07273c26a1457d02b4c341b7937b97abddb36dd4a41a897116be1fe\","
        + "\"c\":\"20bfbf68151c62cc189782cd2d1cfdf7c14811ef3fa54c0e4d8aa13e8df1778d\","
        + "\"d\":\"b3a43a303055ddd29d12cacdc45d85b7d0c7b22a8423b2605f1310fd719e2330\"}}";
    Run bare = run(BARE, "hash");
    assertThat(bare.exit()).isZero();
    assertThat(bare.out().strip()).isEqualTo(expected);
    Run body = run("{\"spec\":" + BARE + "}", "hash");
    assertThat(body.exit()).isZero();
    assertThat(body.out().strip()).isEqualTo(expected);
  }

  @Test
  void validateSummarisesAValidDag() throws Exception {
    Run r = run(BARE, "validate");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("valid: 4 tasks, 4 edges, 3 levels, critical path 16 work units")
        .hasLineCount(1);
  }

  @Test
  void validatePrintsEveryProblem() throws Exception {
    Run r = run("{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1},"
        + "{\"task_id\":\"a\",\"work_units\":1},{\"task_id\":\"b\",\"work_units\":2}],"
        + "\"edges\":[{\"from\":\"a\",\"to\":\"b\"},{\"from\":\"b\",\"to\":\"a\"},"
        + "{\"from\":\"a\",\"to\":\"zz\"}]}", "validate");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines().toList()).containsExactly(
        "duplicate_task_id: task id \"a\" is used by more than one task",
        "unknown_edge_task: edge \"a\" -> \"zz\" names a task that is not in the DAG: task \"zz\" is unknown",
        "cycle: the dependencies form a cycle: \"a\" -> \"b\" -> \"a\"");
  }

  /** Runs the CLI with stdout captured: {@code dag hash} writes its bytes to System.out. */
  Run runArgs(String... args) {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CommandLine cli = KasComputeCli.newCommandLine();
      cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      cli.getOut().flush();
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(oldOut);
    }
  }

  @Test
  void malformedOrRefusedInputExitsOneWithOneLineNamingTheFile() throws Exception {
    for (String sub : new String[] {"hash", "validate"}) {
      Run range = run("{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-1}],\"edges\":[]}", sub);
      assertThat(range.exit()).isEqualTo(1);
      assertThat(range.err()).contains("dag.json").contains("field_out_of_range")
          .contains("nodes[0].work_units").hasLineCount(1);
      Run missing = run("{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\"}],\"edges\":[]}", sub);
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("missing_field").contains("nodes[0].work_units");
      Run malformed = run("{\"name\":\"x\",\"nodes\":[", sub);
      assertThat(malformed.exit()).isEqualTo(1);
      assertThat(malformed.err()).startsWith("error: ").contains("dag.json: malformed_json")
          .hasLineCount(1).doesNotContain("Exception");
    }
    Run cycle = run("{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1},"
        + "{\"task_id\":\"b\",\"work_units\":1}],\"edges\":[[\"a\",\"b\"],[\"b\",\"a\"]]}", "hash");
    assertThat(cycle.exit()).isEqualTo(1);
    assertThat(cycle.err()).contains("dag.json: cycle: ");
    assertThat(cycle.out()).isEmpty();
  }

  @Test
  void unreadableInputAndUsageErrorsExitTwo() {
    for (String sub : new String[] {"hash", "validate"}) {
      Run missing = runArgs("dag", sub, dir.resolve("nope.json").toString());
      assertThat(missing.exit()).isEqualTo(2);
      assertThat(missing.err()).contains("nope.json").contains("no such file").hasLineCount(1)
          .doesNotContain("Exception");
      Run directory = runArgs("dag", sub, dir.toString());
      assertThat(directory.exit()).isEqualTo(2);
      assertThat(directory.err()).contains("directory");
      assertThat(runArgs("dag", sub).exit()).isEqualTo(2);
    }
    assertThat(runArgs("dag", "validate", "--admission", "lax", "x.json").exit()).isEqualTo(2);
  }

  @Test
  void hashAcceptsWhatV1AcceptsAndValidateReportsWhatAdmissionRefuses() throws Exception {
    String v1Only = "{\"name\":\"v1\",\"nodes\":[{\"task_id\":\"a\\u0001\",\"work_units\":1},"
        + "{\"task_id\":\"b\",\"work_units\":2,\"task_type\":\"\\u3000\"}],"
        + "\"edges\":[[\"a\\u0001\",\"b\"],{\"from\":\"a\\u0001\",\"to\":\"b\"}]}";
    Run hash = run(v1Only, "hash");
    assertThat(hash.exit()).isZero();
    assertThat(hash.out()).startsWith("{\"dag_root_hash\":\"").contains("\"a\\u0001\":\"");
    String root = hash.out().substring(18, 82);
    Run validate = run(v1Only, "validate");
    assertThat(validate.exit()).isEqualTo(1);
    assertThat(validate.out().lines().toList()).containsExactly(
        "v1-valid: 2 tasks, 2 edges, 2 levels, critical path 3 work units, total 3 work units,"
            + " dag_root_hash " + root,
        "invalid_id: task id \"a\\u0001\" holds control character U+0001",
        "duplicate_edge: edge \"a\\u0001\" -> \"b\" is listed more than once");
    Run lenient = runArgs("dag", "validate", "--admission", "v1", dir.resolve("dag.json").toString());
    assertThat(lenient.exit()).isZero();
    assertThat(lenient.out()).startsWith("valid: 2 tasks").contains(root);
    Run empty = run("{\"spec\":{\"name\":\"e\",\"nodes\":[],\"edges\":[]}}", "validate");
    assertThat(empty.exit()).isEqualTo(1);
    assertThat(empty.out()).contains("empty_dag: the DAG has no tasks");
    assertThat(run("{\"spec\":{\"name\":\"empty\",\"nodes\":[],\"edges\":[]}}", "hash").out().strip())
        .isEqualTo("{\"dag_root_hash\":\"1982182e9ac67707a1f4c4ad02c84b829e98cfc0c6a12faf3deb7e5a88618e84\","
            + "\"tasks_total\":0,\"tasks\":{}}");
  }

  @Test
  void helpDocumentsTheExitCodes() {
    for (String sub : new String[] {"hash", "validate"}) {
      Run help = runArgs("dag", sub, "--help");
      assertThat(help.exit()).isZero();
      assertThat(help.out().replaceAll("\\s+", " ")).contains("Exit codes: 0")
          .contains("1 the input was read and something in it is invalid").contains("2 unreadable input or usage error")
          .contains("3 internal failure");
    }
  }

  /** Runs the launcher's entry point {@link DagCommand#execute} with stdout and stderr captured. */
  static Run runEntryPoint(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = DagCommand.execute(args);
      System.err.flush();
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void theEntryPointsPlainHashPrintsAndExitsAsTheFullCommandLine() throws Exception {
    String escapes = "{\"name\":\"e\\u00e9\",\"nodes\":[{\"task_id\":\"q\\\"\\\\\\u0001\u00e9\",\"work_units\":18446744073709551615},"
        + "{\"task_id\":\"\ud83d\ude00\",\"work_units\":0,\"task_type\":\" \",\"params\":{\"b\":1e2,\"a\":[null]}}],"
        + "\"edges\":[[\"\ud83d\ude00\",\"q\\\"\\\\\\u0001\u00e9\"]]}";
    String[] inputs = {BARE, "{\"spec\":" + BARE + "}", escapes, "{\"name\":\"x\",\"nodes\":[",
        "{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-1}],\"edges\":[]}"};
    for (String json : inputs) {
      Path f = dir.resolve("dag.json");
      Files.writeString(f, json, StandardCharsets.UTF_8);
      Run full = runArgs("dag", "hash", f.toString());
      Run plain = runEntryPoint("hash", f.toString());
      assertThat(plain).as(json).isEqualTo(full);
    }
    assertThat(runEntryPoint("hash", dir.resolve("nope.json").toString()))
        .isEqualTo(runArgs("dag", "hash", dir.resolve("nope.json").toString()));
    Files.writeString(dir.resolve("dag.json"), escapes, StandardCharsets.UTF_8);
    Run escaped = runEntryPoint("hash", dir.resolve("dag.json").toString());
    assertThat(escaped.exit()).isZero();
    assertThat(escaped.out()).contains("\"q\\\"\\\\\\u0001\u00e9\":\"").contains("\"\ud83d\ude00\":\"");
    assertThat(runEntryPoint("hash", "--help").out()).contains("Exit codes: 0");
  }
}
