package io.kascompute.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DagSpecTest {
  static JsonObject obj(String json) {
    return (JsonObject) StrictJsonReader.withDefaults().read(json);
  }

  @Test
  void readsDefaultsAndIgnoresUnknownFields() {
    DagSpec s = DagSpec.fromJson(obj("{\"name\":\"n\",\"x\":1,\"nodes\":[{\"task_id\":\"a\","
        + "\"work_units\":18446744073709551615,\"task_type\":null,\"y\":2},"
        + "{\"task_id\":\"b\",\"work_units\":0,\"task_type\":\"gpu\",\"params\":{\"k\":[1]}}],"
        + "\"edges\":[{\"from\":\"a\",\"to\":\"b\",\"z\":3}]}"));
    assertThat(s.name()).isEqualTo("n");
    assertThat(s.nodes().get(0).workUnits()).isEqualTo(-1L);
    assertThat(s.nodes().get(0).taskType()).isEmpty();
    assertThat(s.nodes().get(0).params()).isEqualTo(JsonNull.INSTANCE);
    assertThat(s.nodes().get(1).params()).isInstanceOf(JsonObject.class);
    assertThat(s.edges()).containsExactly(new DagSpec.Edge("a", "b"));
    DagSpec arrays = DagSpec.fromJson(obj("{\"name\":\"n\",\"nodes\":[],"
        + "\"edges\":[[\"a\",\"b\"],{\"from\":\"b\",\"to\":\"c\"},[\"a\",\"b\"]]}"));
    assertThat(arrays.edges()).containsExactly(new DagSpec.Edge("a", "b"),
        new DagSpec.Edge("b", "c"), new DagSpec.Edge("a", "b"));
    assertThat(DagSpec.fromSubmitBody(obj("{\"spec\":{\"name\":\"n\",\"nodes\":[],\"edges\":[]}}"))
        .nodes()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"nodes\":[],\"edges\":[]}|MISSING_FIELD|name",
    "{\"name\":\"n\",\"edges\":[]}|MISSING_FIELD|nodes",
    "{\"name\":\"n\",\"nodes\":[]}|MISSING_FIELD|edges",
    "{\"name\":1,\"nodes\":[],\"edges\":[]}|WRONG_TYPE|name",
    "{\"name\":\"n\",\"nodes\":{},\"edges\":[]}|WRONG_TYPE|nodes",
    "{\"name\":\"n\",\"nodes\":[1],\"edges\":[]}|WRONG_TYPE|nodes[0]",
    "{\"name\":\"n\",\"nodes\":[{\"work_units\":1}],\"edges\":[]}|MISSING_FIELD|nodes[0].task_id",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\"}],\"edges\":[]}|MISSING_FIELD|nodes[0].work_units",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":7,\"work_units\":1}],\"edges\":[]}|WRONG_TYPE|nodes[0].task_id",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":\"1\"}],\"edges\":[]}|WRONG_TYPE|nodes[0].work_units",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-1}],\"edges\":[]}|FIELD_OUT_OF_RANGE|nodes[0].work_units",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":18446744073709551616}],\"edges\":[]}|FIELD_OUT_OF_RANGE|nodes[0].work_units",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1.5}],\"edges\":[]}|FIELD_OUT_OF_RANGE|nodes[0].work_units",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"task_type\":3}],\"edges\":[]}|WRONG_TYPE|nodes[0].task_type",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[{\"from\":\"a\"}]}|MISSING_FIELD|edges[0].to",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[{\"from\":true,\"to\":\"b\"}]}|WRONG_TYPE|edges[0].from",
    "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-0}],\"edges\":[]}|FIELD_OUT_OF_RANGE|nodes[0].work_units",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[[\"a\"]]}|WRONG_TYPE|edges[0]",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[[\"a\",\"b\",\"c\"]]}|WRONG_TYPE|edges[0]",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[[1,\"b\"]]}|WRONG_TYPE|edges[0][0]",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[[\"a\",null]]}|WRONG_TYPE|edges[0][1]",
    "{\"name\":\"n\",\"nodes\":[],\"edges\":[\"a\"]}|WRONG_TYPE|edges[0]",
  })
  void refusesBadFieldsWithTheirPath(String json, ErrorCode code, String path) {
    KasComputeException e =
        catchThrowableOfType(() -> DagSpec.fromJson(obj(json)), KasComputeException.class);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).contains(path);
  }

  @Test
  void submitBodyNeedsASpecObject() {
    assertThat(catchThrowableOfType(() -> DagSpec.fromSubmitBody(obj("{}")),
        KasComputeException.class).code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(catchThrowableOfType(() -> DagSpec.fromSubmitBody(obj("{\"spec\":[]}")),
        KasComputeException.class).code()).isEqualTo(ErrorCode.WRONG_TYPE);
  }
}
