package io.kascompute.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DagAdmissionTest {
  private static List<ErrorCode> codes(DagAdmission admission, ComputeDag dag) {
    return admission.findings(dag).stream().map(DagProblem::code).toList();
  }

  private static ComputeDag read(String json) {
    return ComputeDag.fromSpecJson(json.getBytes(StandardCharsets.UTF_8), DagLimits.V1);
  }

  @Test
  void strictFindsWhatV1AcceptsAndTheSdkRefuses() {
    ComputeDag empty = read("{\"name\":\"e\",\"nodes\":[],\"edges\":[]}");
    assertThat(codes(DagAdmission.strict(), empty)).containsExactly(ErrorCode.EMPTY_DAG);

    ComputeDag controls = read("{\"name\":\"c\",\"nodes\":[{\"task_id\":\"a\\nb\",\"work_units\":1},"
        + "{\"task_id\":\"\\u007f\",\"work_units\":1},{\"task_id\":\"ok\",\"work_units\":1}],\"edges\":[]}");
    assertThat(codes(DagAdmission.strict(), controls))
        .containsExactly(ErrorCode.INVALID_ID, ErrorCode.INVALID_ID);
    assertThat(DagAdmission.strict().findings(controls).get(0).message())
        .contains("\"a\\u000ab\"").contains("U+000A");

    ComputeDag dups = read("{\"name\":\"d\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1},"
        + "{\"task_id\":\"b\",\"work_units\":1}],\"edges\":[[\"a\",\"b\"],[\"a\",\"b\"],"
        + "{\"from\":\"a\",\"to\":\"b\"}]}");
    assertThat(codes(DagAdmission.strict(), dups)).containsExactly(ErrorCode.DUPLICATE_EDGE);
    assertThat(DagAdmission.strict().findings(dups).get(0).message())
        .isEqualTo("edge \"a\" -> \"b\" is listed more than once");
  }

  @Test
  void findingsNeverChangeTheHash() {
    ComputeDag dups = read("{\"name\":\"d\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1},"
        + "{\"task_id\":\"b\",\"work_units\":1}],\"edges\":[[\"a\",\"b\"],[\"a\",\"b\"]]}");
    String before = dups.rootHash().hex();
    assertThatThrownBy(() -> DagAdmission.strict().check(dups))
        .isInstanceOf(DagValidationException.class)
        .extracting(e -> ((DagValidationException) e).code()).isEqualTo(ErrorCode.DUPLICATE_EDGE);
    assertThat(dups.rootHash().hex()).isEqualTo(before);
    DagAdmission.v1().check(dups);
  }

  @Test
  void valueBoundsComeFromTheLimits() {
    DagLimits tight = DagLimits.DEFAULT.withMaxNameBytes(3).withMaxTaskIdBytes(4)
        .withMaxTaskTypeBytes(2).withMaxParamsBytes(9);
    ComputeDag dag = ComputeDag.builder("long")
        .task("abcd", 1, "ab", new JsonObject(Map.of("k", new JsonString("v"))))
        .task("abcde", 1, "abc", new JsonObject(Map.of("kk", new JsonString("vv"))))
        .build(DagLimits.V1);
    DagAdmission admission = DagAdmission.of(Set.of(DagAdmission.Rule.VALUE_BOUNDS), tight);
    assertThat(admission.findings(dag)).extracting(DagProblem::message).containsExactly(
        "the DAG name is 4 bytes; the limit is 3",
        "task id \"abcde\" is 5 bytes; the limit is 4",
        "the task type of task \"abcde\" is 3 bytes; the limit is 2",
        "the params of task \"abcde\" are 11 bytes in canonical form; the limit is 9");
    assertThat(codes(admission, dag)).containsOnly(ErrorCode.VALUE_TOO_LARGE);
    assertThat(codes(admission.withLimits(DagLimits.DEFAULT), dag)).isEmpty();
    // Multi-byte characters count as their UTF-8 bytes.
    ComputeDag wide = ComputeDag.builder("\u00e9\u00e9").task("\ud83d\ude00", 1).build();
    assertThat(codes(DagAdmission.of(Set.of(DagAdmission.Rule.VALUE_BOUNDS),
        tight.withMaxNameBytes(4)), wide)).isEqualTo(List.of());
    assertThat(codes(DagAdmission.of(Set.of(DagAdmission.Rule.VALUE_BOUNDS),
        tight.withMaxNameBytes(3).withMaxTaskIdBytes(3)), wide))
        .containsExactly(ErrorCode.VALUE_TOO_LARGE, ErrorCode.VALUE_TOO_LARGE);
  }

  @Test
  void rulesCanBeTurnedOnAndOff() {
    assertThat(DagAdmission.strict().rules()).isEqualTo(EnumSet.allOf(DagAdmission.Rule.class));
    assertThat(DagAdmission.v1().rules()).isEmpty();
    assertThat(DagAdmission.strict().limits()).isEqualTo(DagLimits.DEFAULT);
    DagAdmission noEmpty = DagAdmission.strict().without(DagAdmission.Rule.EMPTY_DAG);
    assertThat(noEmpty.enforces(DagAdmission.Rule.EMPTY_DAG)).isFalse();
    assertThat(noEmpty.with(DagAdmission.Rule.EMPTY_DAG)).isEqualTo(DagAdmission.strict());
    assertThat(codes(noEmpty, read("{\"name\":\"e\",\"nodes\":[],\"edges\":[]}"))).isEmpty();
    assertThatThrownBy(() -> DagAdmission.strict().rules().add(DagAdmission.Rule.EMPTY_DAG))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(DagAdmission.of(Set.of(), DagLimits.DEFAULT)).isEqualTo(DagAdmission.v1());
  }

  @Test
  void manyFindingsAreCappedAndCounted() {
    StringBuilder edges = new StringBuilder();
    for (int i = 0; i < DagValidationException.MAX_PROBLEMS + 10; i++) {
      edges.append(i == 0 ? "" : ",").append("[\"a\",\"b").append(i).append("\"],[\"a\",\"b")
          .append(i).append("\"]");
    }
    StringBuilder nodes = new StringBuilder("{\"task_id\":\"a\",\"work_units\":1}");
    for (int i = 0; i < DagValidationException.MAX_PROBLEMS + 10; i++) {
      nodes.append(",{\"task_id\":\"b").append(i).append("\",\"work_units\":1}");
    }
    ComputeDag dag = read("{\"name\":\"m\",\"nodes\":[" + nodes + "],\"edges\":[" + edges + "]}");
    assertThat(DagAdmission.strict().findings(dag)).hasSize(DagValidationException.MAX_PROBLEMS);
    DagValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
        DagValidationException.class, () -> DagAdmission.strict().check(dag));
    assertThat(e.suppressedProblems()).isEqualTo(10);
  }
}
