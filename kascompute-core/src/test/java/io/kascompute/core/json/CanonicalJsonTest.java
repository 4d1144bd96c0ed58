package io.kascompute.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
  private static String canon(String json) {
    return new String(CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0|0", "8000000000000000|0", "1|5e-324", "7fefffffffffffff|1.7976931348623157e+308",
      "3ff0000000000000|1", "bff0000000000000|-1", "3fb999999999999a|0.1",
      "4340000000000001|9007199254740994", "444b1ae4d6e2ef50|1e+21", "444b1ae4d6e2ef4f|999999999999999900000",
      "3eb0c6f7a0b5ed8d|0.000001", "3eb0c6f7a0b5ed8c|9.999999999999997e-7",
      "3e7ad7f29abcaf48|1e-7", "3fd5555555555555|0.3333333333333333", "4415af1d78b58c40|100000000000000000000",
      "44b52d02c7e14af6|1e+23", "0010000000000000|2.2250738585072014e-308",
      "000fffffffffffff|2.225073858507201e-308"})
  void formatsNumbersAsEcmaScript(String bits, String expected) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertThat(CanonicalJson.formatNumber(d)).isEqualTo(expected);
  }

  @Test
  void formatsDecimalLiterals() {
    assertThat(CanonicalJson.formatNumber(-1e33)).isEqualTo("-1e+33");
    assertThat(CanonicalJson.formatNumber(123e-20)).isEqualTo("1.23e-18");
    assertThat(CanonicalJson.formatNumber(0.000001234)).isEqualTo("0.000001234");
    assertThat(CanonicalJson.formatNumber(-0.0)).isEqualTo("0");
    assertThat(CanonicalJson.formatNumber(18014398509482072.0)).isEqualTo("18014398509482070");
    assertThat(CanonicalJson.formatNumber(2e-3)).isEqualTo("0.002");
    assertThat(CanonicalJson.formatNumber(5.684341886080802e-14)).isEqualTo("5.684341886080802e-14");
  }

  @Test
  void refusesNonFiniteNumbers() {
    assertThatThrownBy(() -> CanonicalJson.formatNumber(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CanonicalJson.formatNumber(Double.NEGATIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 3000)
  void formattedNumbersReadBackAndAreNoLongerThanJavas(@ForAll double d) {
    String s = CanonicalJson.formatNumber(d);
    assertThat(Double.parseDouble(s)).isEqualTo(d == 0 ? 0.0 : d);
    assertThat(significantDigits(s)).isLessThanOrEqualTo(significantDigits(Double.toString(d)));
  }

  private static int significantDigits(String s) {
    String mantissa = s.toLowerCase().split("e")[0].replace("-", "").replace(".", "");
    String trimmed = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return Math.max(1, trimmed.length());
  }

  @Test
  void sortsKeysByUtf16CodeUnits() {
    // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+E000 (unlike in code point order).
    assertThat(canon("{\"\uE000\":1,\"\uD83D\uDE00\":2,\"b\":3,\"a\":{\"z\":0,\"\":1},\"B\":4}"))
        .isEqualTo("{\"B\":4,\"a\":{\"\":1,\"z\":0},\"b\":3,\"\uD83D\uDE00\":2,\"\uE000\":1}");
  }

  @Test
  void escapesMinimally() {
    assertThat(canon("\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\\\/\\u007f\\u00e9\\u20ac\""))
        .isEqualTo("\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u007f\u00e9\u20ac\"");
  }

  @Test
  void writesLiteralsAndStructureCompactly() {
    assertThat(canon(" [ true , false , null , { } , [ ] , -0 , 1E2 , 0.5e-6 ] "))
        .isEqualTo("[true,false,null,{},[],0,100,5e-7]");
  }

  @Test
  void refusesLoneSurrogatesOnWrite() {
    assertThatThrownBy(() -> CanonicalJson.write(new JsonString("a\uD800")))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UTF8));
  }

  @Test
  void appliesTheGivenLimits() {
    assertThatThrownBy(() -> CanonicalJson.canonicalize(
            "[[1]]".getBytes(StandardCharsets.UTF_8), JsonLimits.DEFAULT.withMaxDepth(1)))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NESTING_TOO_DEEP));
  }

  @Property(tries = 300)
  void canonicalizeIsIdempotent(@ForAll("values") JsonValue v, @ForAll long seed) {
    byte[] once = CanonicalJson.canonicalize(loose(v, new Random(seed)));
    assertThat(CanonicalJson.canonicalize(once)).isEqualTo(once);
    assertThat(once).isEqualTo(CanonicalJson.write(v));
  }

  @Property(tries = 300)
  void keyOrderDoesNotMatter(@ForAll("values") JsonValue v, @ForAll long seed) {
    assertThat(CanonicalJson.write(shuffled(v, new Random(seed))))
        .isEqualTo(CanonicalJson.write(v));
  }

  @Property(tries = 300)
  void readingCanonicalBytesGivesTheValueBack(@ForAll("values") JsonValue v) {
    assertThat(StrictJsonReader.withDefaults().read(CanonicalJson.write(v))).isEqualTo(v);
  }

  @Provide
  Arbitrary<JsonValue> values() {
    return value(4);
  }

  private static Arbitrary<JsonValue> value(int depth) {
    Arbitrary<String> text = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6),
        Arbitraries.of("a", "b", "\u00e9", "\uD83D\uDE00", "\uE000", "\u0000\"\\", "B", ""));
    Arbitrary<JsonValue> scalar = Arbitraries.oneOf(
        text.filter(CanonicalJsonTest::wellFormed).map(JsonString::new),
        Arbitraries.doubles().map(JsonNumber::of),
        Arbitraries.longs().between(-(1L << 53), 1L << 53).map(JsonNumber::of),
        Arbitraries.of(JsonBoolean.TRUE, JsonBoolean.FALSE, JsonNull.INSTANCE));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<JsonValue> inner = Arbitraries.lazy(() -> value(depth - 1));
    Arbitrary<JsonValue> array = inner.list().ofMaxSize(4).map(JsonArray::new);
    Arbitrary<JsonValue> object = Arbitraries.maps(text.filter(CanonicalJsonTest::wellFormed), inner)
        .ofMaxSize(4).map(m -> new JsonObject(new LinkedHashMap<>(m)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(1, object));
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static JsonValue shuffled(JsonValue v, Random r) {
    if (v instanceof JsonObject o) {
      List<String> keys = new ArrayList<>(o.members().keySet());
      Collections.shuffle(keys, r);
      Map<String, JsonValue> m = new LinkedHashMap<>();
      for (String k : keys) {
        m.put(k, shuffled(o.members().get(k), r));
      }
      return new JsonObject(m);
    }
    if (v instanceof JsonArray a) {
      return new JsonArray(a.elements().stream().map(e -> shuffled(e, r)).toList());
    }
    return v;
  }

  /** A non-canonical serialization: random whitespace, \\u escapes, Java number text. */
  private static byte[] loose(JsonValue v, Random r) {
    StringBuilder b = new StringBuilder();
    loose(v, r, b);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void loose(JsonValue v, Random r, StringBuilder b) {
    b.append(r.nextBoolean() ? " " : r.nextBoolean() ? "\n\t" : "");
    if (v instanceof JsonObject o) {
      b.append('{');
      int i = 0;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        b.append(i++ > 0 ? "," : "");
        looseString(e.getKey(), r, b);
        b.append(" : ");
        loose(e.getValue(), r, b);
      }
      b.append('}');
    } else if (v instanceof JsonArray a) {
      b.append('[');
      for (int i = 0; i < a.elements().size(); i++) {
        b.append(i > 0 ? " ," : "");
        loose(a.elements().get(i), r, b);
      }
      b.append(']');
    } else if (v instanceof JsonString s) {
      looseString(s.value(), r, b);
    } else if (v instanceof JsonNumber n) {
      b.append(r.nextBoolean() ? n.text() : Double.toString(n.doubleValue()).replace('E', 'e'));
    } else {
      b.append(v instanceof JsonBoolean bool ? Boolean.toString(bool.value()) : "null");
    }
  }

  private static void looseString(String s, Random r, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c);
      if (c < 0x20 || c == '"' || c == '\\' || r.nextInt(4) == 0) {
        b.append(String.format("\\u%04X", (int) c));
        if (pair) {
          b.append(String.format("\\u%04X", (int) s.charAt(++i)));
        }
      } else {
        b.append(c);
        if (pair) {
          b.append(s.charAt(++i));
        }
      }
    }
    b.append('"');
  }
}
