package io.kascompute.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.KasComputeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The one-pass scanner against the reference, {@code CanonicalJson.write(StrictJsonReader.read)}:
 * it must refuse whatever the reader refuses, decline valid documents only for the two documented
 * reasons, and otherwise give exactly the reference bytes; {@code canonicalize} must then refuse
 * exactly when the reader does, with the same code.
 */
class CanonicalScannerTest {
  private static final byte[] INTERESTING = utf8("{}[]\":,\\u0123456789-+.eEdDfnt \n\t");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Property(tries = 5000, edgeCases = EdgeCasesMode.NONE)
  void agreesWithTheReader(@ForAll("documents") byte[] input) {
    assertAgrees(input, JsonLimits.DEFAULT);
  }

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void agreesWithTheReaderUnderTightLimits(
      @ForAll("documents") byte[] input,
      @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 95, max = 130) int percentOfLength) {
    assertAgrees(input, new JsonLimits(Math.max(1, input.length * percentOfLength / 100), depth));
  }

  @Property(tries = 3000)
  void numbersAgreeWithTheReader(
      @ForAll @LongRange(min = 0, max = 1L << 54) long digits,
      @ForAll @IntRange(min = 0, max = 20) int point,
      @ForAll @IntRange(min = -30, max = 30) int exponent,
      @ForAll boolean negative) {
    String text = Long.toString(digits);
    int at = text.length() - point;
    String mantissa = point == 0 || at < 1 ? text : text.substring(0, at) + "." + text.substring(at);
    String literal = (negative ? "-" : "") + mantissa + (exponent != 0 ? "e" + exponent : "");
    assertAgrees(utf8("[" + literal + "]"), JsonLimits.DEFAULT);
  }

  @Test
  void sortsLargeObjectsAndFindsTheirDuplicates() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add("\"k" + i + "\":" + i);
    }
    Collections.shuffle(keys, new Random(1));
    String object = "{" + String.join(",", keys) + "}";
    assertAgrees(utf8(object), JsonLimits.DEFAULT);
    assertThat(CanonicalScanner.canonicalize(utf8(object), JsonLimits.DEFAULT)).isNotNull();
    byte[] duplicate = utf8(object.replace("\"k17\"", "\"k71\""));
    assertAgrees(duplicate, JsonLimits.DEFAULT);
    assertThat(CanonicalScanner.canonicalize(duplicate, JsonLimits.DEFAULT)).isNull();
  }

  @Test
  void ordersNamesByUtf16CodeUnitsBeyondTheirFirstEightBytes() {
    String object = "{\"abcdefgh\uE000\":1,\"abcdefgh\uD83D\uDE00\":2,\"abcdefgh\":3,"
        + "\"abcdefgh\u00e9\":4,\"abcdefgh\uFFFF\":5,\"abcdefgh\uDBFF\uDFFF\":6,\"abcdefgi\":7}";
    assertAgrees(utf8(object), JsonLimits.DEFAULT);
    assertThat(new String(CanonicalJson.canonicalize(utf8(object)), StandardCharsets.UTF_8))
        .isEqualTo("{\"abcdefgh\":3,\"abcdefgh\u00e9\":4,\"abcdefgh\uD83D\uDE00\":2,"
            + "\"abcdefgh\uDBFF\uDFFF\":6,\"abcdefgh\uE000\":1,\"abcdefgh\uFFFF\":5,\"abcdefgi\":7}");
  }

  @Test
  void declinesOnlyTheDocumentedValidDocuments() {
    for (String valid : List.of("{\"a\\nb\":1}", "{\"\\\"\":1}", "{\"\\u0001\":1}",
        "[1" + "0".repeat(CanonicalScanner.MAX_NUMBER_CHARS) + "e-1000]")) {
      assertAgrees(utf8(valid), JsonLimits.DEFAULT);
      assertThat(CanonicalScanner.canonicalize(utf8(valid), JsonLimits.DEFAULT)).isNull();
    }
    for (String valid : List.of("{\"a\":\"x\\ny\\\"\\u0001\"}", "{\"\\u00e9\\/\":1}",
        "[1" + "0".repeat(CanonicalScanner.MAX_NUMBER_CHARS - 7) + "e-1000]")) {
      assertAgrees(utf8(valid), JsonLimits.DEFAULT);
      assertThat(CanonicalScanner.canonicalize(utf8(valid), JsonLimits.DEFAULT)).isNotNull();
    }
  }

  private static void assertAgrees(byte[] input, JsonLimits limits) {
    byte[] scanned = CanonicalScanner.canonicalize(input, limits);
    JsonValue value;
    try {
      value = StrictJsonReader.withLimits(limits).read(input);
    } catch (KasComputeException refused) {
      assertThat(scanned).as("scanner output for a refused document").isNull();
      assertThatThrownBy(() -> CanonicalJson.canonicalize(input, limits))
          .isInstanceOfSatisfying(KasComputeException.class,
              e -> assertThat(e.code()).isEqualTo(refused.code()));
      return;
    }
    byte[] expected = CanonicalJson.write(value);
    if (declined(value)) {
      assertThat(scanned).as("scanner output for a declined document").isNull();
    } else {
      assertThat(scanned).isEqualTo(expected);
    }
    assertThat(CanonicalJson.canonicalize(input, limits)).isEqualTo(expected);
  }

  /** True if the value holds a member name that needs escaping or a very long number literal. */
  private static boolean declined(JsonValue value) {
    if (value instanceof JsonObject o) {
      return o.members().entrySet().stream().anyMatch(e ->
          e.getKey().chars().anyMatch(c -> c < 0x20 || c == '"' || c == '\\')
              || declined(e.getValue()));
    }
    if (value instanceof JsonArray a) {
      return a.elements().stream().anyMatch(CanonicalScannerTest::declined);
    }
    return value instanceof JsonNumber n && n.text().length() > CanonicalScanner.MAX_NUMBER_CHARS;
  }

  @Provide
  Arbitrary<byte[]> documents() {
    Arbitrary<byte[]> text = json(3).map(CanonicalScannerTest::utf8);
    Arbitrary<byte[]> mutated =
        Combinators.combine(text, Arbitraries.longs()).as(CanonicalScannerTest::mutate);
    Arbitrary<byte[]> noise = Arbitraries.oneOf(
            Arbitraries.of(INTERESTING[0], INTERESTING[1], INTERESTING[2], INTERESTING[3],
                INTERESTING[4], INTERESTING[5], INTERESTING[6], INTERESTING[7], (byte) 'u',
                (byte) '1', (byte) 0xed, (byte) 0xc3, (byte) 0xf0, (byte) 0x80, (byte) 0xbf),
            Arbitraries.bytes())
        .array(byte[].class).ofMaxSize(40);
    return Arbitraries.frequencyOf(
        Tuple.of(4, text), Tuple.of(4, mutated),
        Tuple.of(1, noise));
  }

  /** One to three random byte insertions, deletions or replacements. */
  private static byte[] mutate(byte[] doc, long seed) {
    Random r = new Random(seed);
    List<Byte> bytes = new ArrayList<>();
    for (byte b : doc) {
      bytes.add(b);
    }
    for (int k = r.nextInt(3); k >= 0; k--) {
      int at = r.nextInt(bytes.size() + 1);
      byte b = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : INTERESTING[r.nextInt(INTERESTING.length)];
      switch (r.nextInt(3)) {
        case 0 -> bytes.add(at, b);
        case 1 -> {
          if (at < bytes.size()) {
            bytes.remove(at);
          }
        }
        default -> {
          if (at < bytes.size()) {
            bytes.set(at, b);
          }
        }
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }

  /** JSON text, valid but for what its pieces allow: lone surrogates, huge numbers, duplicates. */
  private static Arbitrary<String> json(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        number(), string(), Arbitraries.of("true", "false", "null"));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> json(depth - 1));
    Arbitrary<String> ws = Arbitraries.of("", "", " ", "\n\t", "\r\n ");
    Arbitrary<String> element = Combinators.combine(ws, inner, ws).as((a, v, b) -> a + v + b);
    Arbitrary<String> array = element.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> key = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("\"a\"", "\"b\"", "\"B\"", "\"\"", "\"\\u0061\"", "\"\u00e9\"",
            "\"\\u00E9\"", "\"\uD83D\uDE00\"", "\"\\ud83d\\ude00\"", "\"\uE000\"", "\"\uFFFF\"",
            "\"a\\nb\"", "\"\\\"\"", "\"ab\"", "\"a\u00e9\"",
            "\"abcdefg\"", "\"abcdefgh\"", "\"abcdefghi\"", "\"abcdefgh\uE000\"",
            "\"abcdefgh\uD83D\uDE00\"", "\"abcdefgh\\u00e9\"", "\"abcdefgh\u00e9\"")),
        Tuple.of(1, string()));
    Arbitrary<String> member = Combinators.combine(key, ws, element).as((k, w, v) -> k + w + ":" + v);
    Arbitrary<String> object =
        member.list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.frequencyOf(
        Tuple.of(3, scalar), Tuple.of(1, array),
        Tuple.of(2, object));
  }

  private static Arbitrary<String> string() {
    Arbitrary<String> wellFormed = Arbitraries.of("a", "Z", "~", " ", "/", "\\\"", "\\\\",
        "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001F", "\\u0020",
        "\\u00e9", "\\u00E9", "\\u20ac", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\uDBFF\\uDFFF",
        "\u00e9", "\u20ac", "\uD83D\uDE00", "\uE000", "\uFFFF", "\u007f", "\u2028", "\\u2028",
        "\\uffff");
    Arbitrary<String> loneSurrogate = Arbitraries.of("\\ud83d", "\\ude00", "\\ud83d\\u0041",
        "\\ud83d\uD83D\uDE00");
    return Arbitraries.frequencyOf(Tuple.of(30, wellFormed), Tuple.of(1, loneSurrogate))
        .list().ofMaxSize(5).map(l -> "\"" + String.join("", l) + "\"");
  }

  private static Arbitrary<String> number() {
    Arbitrary<String> sign = Arbitraries.of("", "", "-");
    Arbitrary<String> integer = Arbitraries.oneOf(
        Arbitraries.of("0", "1", "9", "10", "123456789012345", "1234567890123456",
            "9007199254740993", "18446744073709551615", "1" + "0".repeat(400)),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
            .filter(s -> s.charAt(0) != '0'));
    Arbitrary<String> fraction = Arbitraries.oneOf(
        Arbitraries.just(""), Arbitraries.just(""),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20).map(s -> "." + s));
    Arbitrary<String> exponent = Arbitraries.oneOf(
        Arbitraries.just(""), Arbitraries.just(""),
        Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 330).map(String::valueOf),
                    Arbitraries.of("0000", "99999999999", "307", "308", "324", "325")))
            .as((e, s, d) -> e + s + d));
    Arbitrary<String> composed = Combinators.combine(sign, integer, fraction, exponent)
        .as((s, i, f, e) -> s + i + f + e);
    return Arbitraries.oneOf(composed, Arbitraries.of("-0", "-0.0", "0e0", "0.1", "5e-324",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
        "1.7976931348623159e308", "1e21", "1e-7", "0.000001", "123e-20", "NaN", "-Infinity"));
  }
}
