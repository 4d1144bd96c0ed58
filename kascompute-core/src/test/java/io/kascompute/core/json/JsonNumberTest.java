package io.kascompute.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonNumberTest {
  private static JsonNumber read(String literal) {
    return (JsonNumber) StrictJsonReader.withDefaults().read(literal.getBytes(StandardCharsets.UTF_8));
  }

  private static void outOfRange(String literal) {
    assertThatThrownBy(() -> read(literal).unsignedLongValue("f"))
        .as(literal)
        .isInstanceOfSatisfying(KasComputeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
          assertThat(e.getMessage()).contains("f").contains(literal);
        });
  }

  @Test
  void unsignedLongValueIsExactUpTo2To64Minus1() {
    assertThat(read("18446744073709551615").unsignedLongValue("f")).isEqualTo(-1L);
    assertThat(read("9223372036854775808").unsignedLongValue("f")).isEqualTo(Long.MIN_VALUE);
    assertThat(read("9007199254740993").unsignedLongValue("f")).isEqualTo(9007199254740993L);
    assertThat(read("0").unsignedLongValue("f")).isZero();
    assertThat(JsonNumber.ofUnsigned(-1L).text()).isEqualTo("18446744073709551615");
  }

  @Test
  void unsignedLongValueRefusesWhatIsNotAU64() {
    outOfRange("18446744073709551616");
    outOfRange("100000000000000000000000");
    outOfRange("-1");
    outOfRange("1.5");
    outOfRange("1e3");
    outOfRange("1.0");
  }

  @Test
  void equalityIsByExactValue() {
    assertThat(read("100")).isEqualTo(read("1e2")).isEqualTo(read("100.0"));
    assertThat(read("100").hashCode()).isEqualTo(read("1E+2").hashCode());
    assertThat(read("9007199254740993")).isNotEqualTo(read("9007199254740992"));
    assertThat(read("9007199254740993")).isNotEqualTo(read("9007199254740992.0"));
    assertThat(read("-0")).isEqualTo(read("0"));
    assertThat(read("0.1")).isNotEqualTo(read("0.10000000000000001"));
  }

  @Test
  void refusesNonFiniteDoubles() {
    assertThatThrownBy(() -> JsonNumber.of(Double.NaN))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NUMBER));
  }
}
