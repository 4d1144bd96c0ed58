package io.kascompute.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.StrictJsonReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class FieldsTest {
  private static final JsonObject O = (JsonObject) StrictJsonReader.withDefaults().read(
      ("{\"s\":\"x\",\"n\":7,\"neg\":-1,\"b\":true,\"z\":null,\"l\":[\"a\",\"b\"],"
          + "\"bad\":[\"a\",1],\"d\":1.5,\"alias\":3}").getBytes(StandardCharsets.UTF_8));

  private static void fails(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KasComputeException.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void readsTypedFields() {
    assertThat(Fields.string(O, "s")).isEqualTo("x");
    assertThat(Fields.u64(O, "n")).isEqualTo(7);
    assertThat(Fields.optionalBoolean(O, "b")).contains(true);
    assertThat(Fields.optionalStrings(O, "l")).contains(List.of("a", "b"));
    assertThat(Fields.optionalDouble(O, "d").getAsDouble()).isEqualTo(1.5);
    assertThat(Fields.get(O, "missing", "alias")).isPresent();
    assertThat(Fields.object(O, "body")).isSameAs(O);
  }

  @Test
  void nullCountsAsAbsent() {
    assertThat(Fields.optionalString(O, "z")).isEmpty();
    assertThat(Fields.optionalU64(O, "z")).isEmpty();
    fails(ErrorCode.MISSING_FIELD, () -> Fields.string(O, "z"));
    assertThat(Fields.get(O, "z", "s")).contains(new JsonString("x"));
  }

  @Test
  void mapsProblemsToTheirCodes() {
    fails(ErrorCode.MISSING_FIELD, () -> Fields.string(O, "nope"));
    fails(ErrorCode.MISSING_FIELD, () -> Fields.u64(O, "nope"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.string(O, "n"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.u64(O, "s"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.optionalBoolean(O, "s"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.optionalStrings(O, "bad"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.optionalStrings(O, "s"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.optionalDouble(O, "s"));
    fails(ErrorCode.WRONG_TYPE, () -> Fields.object(new JsonString("x"), "body"));
    fails(ErrorCode.FIELD_OUT_OF_RANGE, () -> Fields.u64(O, "neg"));
    fails(ErrorCode.FIELD_OUT_OF_RANGE, () -> Fields.u64(O, "d"));
    assertThat(Fields.optionalString(O, "nope")).isEqualTo(Optional.empty());
  }
}
