package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
    CommandLine cli = KasComputeCli.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("dag", sub, f.toString());
    return new Run(exit, out.toString(), err.toString());
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

  @Test
  void malformedFilesAreBadInput() throws Exception {
    Run r = run("{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-1}],\"edges\":[]}", "validate");
    assertThat(r.exit()).isEqualTo(CliSupport.BAD_INPUT);
    assertThat(r.err()).contains("field_out_of_range").contains("nodes[0].work_units");
    Run h = run("{\"name\":\"x\",\"nodes\":[{\"task_id\":\"a\"}],\"edges\":[]}", "hash");
    assertThat(h.exit()).isEqualTo(CliSupport.BAD_INPUT);
    assertThat(h.err()).contains("missing_field").contains("nodes[0].work_units");
  }
}
