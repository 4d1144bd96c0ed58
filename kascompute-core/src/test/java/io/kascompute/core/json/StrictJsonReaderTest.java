package io.kascompute.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrictJsonReaderTest {
  private static final StrictJsonReader READER = StrictJsonReader.withDefaults();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of("duplicate key", utf8("{\"a\":1,\"a\":2}"), ErrorCode.DUPLICATE_KEY),
        Arguments.of("duplicate key via escape", utf8("{\"a\":1,\"\\u0061\":2}"), ErrorCode.DUPLICATE_KEY),
        Arguments.of("nested duplicate key", utf8("[{\"x\":{\"k\":1,\"k\":1}}]"), ErrorCode.DUPLICATE_KEY),
        Arguments.of("NaN", utf8("NaN"), ErrorCode.INVALID_NUMBER),
        Arguments.of("Infinity", utf8("[Infinity]"), ErrorCode.INVALID_NUMBER),
        Arguments.of("-Infinity", utf8("{\"a\":-Infinity}"), ErrorCode.INVALID_NUMBER),
        Arguments.of("1e400", utf8("1e400"), ErrorCode.INVALID_NUMBER),
        Arguments.of("-1e400", utf8("[-1e400]"), ErrorCode.INVALID_NUMBER),
        Arguments.of("integer beyond double range", utf8("1" + "0".repeat(400)), ErrorCode.INVALID_NUMBER),
        Arguments.of("invalid UTF-8 byte ff", hex("22ff22"), ErrorCode.INVALID_UTF8),
        Arguments.of("lone continuation byte", hex("2280 22".replace(" ", "")), ErrorCode.INVALID_UTF8),
        Arguments.of("overlong slash c0af", hex("22c0af22"), ErrorCode.INVALID_UTF8),
        Arguments.of("overlong NUL e08080", hex("22e0808022"), ErrorCode.INVALID_UTF8),
        Arguments.of("encoded surrogate eda080", hex("22eda08022"), ErrorCode.INVALID_UTF8),
        Arguments.of("encoded low surrogate edb080", hex("22edb08022"), ErrorCode.INVALID_UTF8),
        Arguments.of("beyond U+10FFFF f4908080", hex("22f490808022"), ErrorCode.INVALID_UTF8),
        Arguments.of("truncated 2-byte sequence at end", hex("22c3"), ErrorCode.INVALID_UTF8),
        Arguments.of("truncated 3-byte sequence", hex("22e28222"), ErrorCode.INVALID_UTF8),
        Arguments.of("lone high surrogate escape", utf8("\"\\ud800\""), ErrorCode.INVALID_UTF8),
        Arguments.of("lone low surrogate escape", utf8("\"\\udc00\""), ErrorCode.INVALID_UTF8),
        Arguments.of("reversed surrogate escapes", utf8("\"\\udc00\\ud800\""), ErrorCode.INVALID_UTF8),
        Arguments.of("lone surrogate in a key", utf8("{\"\\ud83d\":1}"), ErrorCode.INVALID_UTF8),
        Arguments.of("depth 65", utf8(nested(65)), ErrorCode.NESTING_TOO_DEEP),
        Arguments.of("depth 65 of objects", utf8("{\"a\":".repeat(64) + "{}" + "}".repeat(64)),
            ErrorCode.NESTING_TOO_DEEP),
        Arguments.of("depth 100000", utf8(nested(100_000)), ErrorCode.NESTING_TOO_DEEP),
        Arguments.of("trailing garbage", utf8("{} x"), ErrorCode.TRAILING_DATA),
        Arguments.of("two documents", utf8("{}{}"), ErrorCode.TRAILING_DATA),
        Arguments.of("two numbers", utf8("1 2"), ErrorCode.TRAILING_DATA),
        Arguments.of("extra closing bracket", utf8("[1]]"), ErrorCode.TRAILING_DATA),
        Arguments.of("leading zero", utf8("01"), ErrorCode.MALFORMED_JSON),
        Arguments.of("leading zero in array", utf8("[00]"), ErrorCode.MALFORMED_JSON),
        Arguments.of("plus sign", utf8("+1"), ErrorCode.MALFORMED_JSON),
        Arguments.of("leading dot", utf8(".5"), ErrorCode.MALFORMED_JSON),
        Arguments.of("trailing dot", utf8("[1.]"), ErrorCode.MALFORMED_JSON),
        Arguments.of("bare minus", utf8("-"), ErrorCode.MALFORMED_JSON),
        Arguments.of("hex number", utf8("0x10"), ErrorCode.MALFORMED_JSON),
        Arguments.of("unquoted key", utf8("{a:1}"), ErrorCode.MALFORMED_JSON),
        Arguments.of("single quotes", utf8("{'a':1}"), ErrorCode.MALFORMED_JSON),
        Arguments.of("line comment", utf8("[1 // c\n]"), ErrorCode.MALFORMED_JSON),
        Arguments.of("block comment", utf8("/* c */ 1"), ErrorCode.MALFORMED_JSON),
        Arguments.of("trailing comma in array", utf8("[1,]"), ErrorCode.MALFORMED_JSON),
        Arguments.of("trailing comma in object", utf8("{\"a\":1,}"), ErrorCode.MALFORMED_JSON),
        Arguments.of("missing comma", utf8("[1 2]"), ErrorCode.MALFORMED_JSON),
        Arguments.of("raw newline in string", utf8("\"a\nb\""), ErrorCode.MALFORMED_JSON),
        Arguments.of("raw tab in string", utf8("\"a\tb\""), ErrorCode.MALFORMED_JSON),
        Arguments.of("raw NUL in string", hex("22610022"), ErrorCode.MALFORMED_JSON),
        Arguments.of("NUL after the value", hex("3100"), ErrorCode.MALFORMED_JSON),
        Arguments.of("NUL before the value", hex("0031"), ErrorCode.MALFORMED_JSON),
        Arguments.of("NUL between tokens", hex("5b312c00325d"), ErrorCode.MALFORMED_JSON),
        Arguments.of("UTF-16LE text", hex("7b002200610022003a0031007d00"), ErrorCode.MALFORMED_JSON),
        Arguments.of("UTF-16BE text", hex("005b00315d"), ErrorCode.MALFORMED_JSON),
        Arguments.of("UTF-32BE text", hex("000000310000005d"), ErrorCode.MALFORMED_JSON),
        Arguments.of("bad escape", utf8("\"\\x41\""), ErrorCode.MALFORMED_JSON),
        Arguments.of("short unicode escape", utf8("\"\\u12\""), ErrorCode.MALFORMED_JSON),
        Arguments.of("empty document", new byte[0], ErrorCode.MALFORMED_JSON),
        Arguments.of("whitespace-only document", utf8(" \n\t\r "), ErrorCode.MALFORMED_JSON),
        Arguments.of("unterminated string", utf8("\"abc"), ErrorCode.MALFORMED_JSON),
        Arguments.of("unterminated array", utf8("[1,2"), ErrorCode.MALFORMED_JSON),
        Arguments.of("unterminated object", utf8("{\"a\":1"), ErrorCode.MALFORMED_JSON),
        Arguments.of("missing value", utf8("{\"a\":}"), ErrorCode.MALFORMED_JSON),
        Arguments.of("capitalised literal", utf8("True"), ErrorCode.MALFORMED_JSON),
        Arguments.of("byte order mark", hex("efbbbf7b7d"), ErrorCode.MALFORMED_JSON),
        Arguments.of("non-breaking space as whitespace", utf8("\u00a0{}"), ErrorCode.MALFORMED_JSON));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void refusesBadInputWithItsCode(String name, byte[] input, ErrorCode expected) {
    assertThatThrownBy(() -> READER.read(input))
        .isInstanceOfSatisfying(KasComputeException.class, e -> {
          assertThat(e.code()).isEqualTo(expected);
          assertThat(e.getMessage()).isNotBlank();
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void canonicalizeRefusesBadInputWithTheSameCode(String name, byte[] input, ErrorCode expected) {
    assertThatThrownBy(() -> CanonicalJson.canonicalize(input))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(expected));
  }

  @Test
  void catalogueHasAtLeastThirtyCases() {
    assertThat(badInputs().count()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void errorsNameThePosition() {
    assertThatThrownBy(() -> READER.read(utf8("{\"a\":1,\n \"a\":2}")))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> READER.read(hex("5b2022ff225d")))
        .hasMessageContaining("byte 3");
    assertThatThrownBy(() -> READER.read(utf8("[1,\n  x]")))
        .hasMessageContaining("line 2");
  }

  @Test
  void depthLimitIsConfigurable() {
    assertThat(READER.read(utf8(nested(64)))).isInstanceOf(JsonArray.class);
    StrictJsonReader shallow = StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxDepth(3));
    assertThat(shallow.read(utf8("[[[1]]]"))).isInstanceOf(JsonArray.class);
    assertThatThrownBy(() -> shallow.read(utf8("[[[[1]]]]")))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NESTING_TOO_DEEP));
    StrictJsonReader deep =
        StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxDepth(JsonLimits.MAX_DEPTH));
    JsonValue deepest = deep.read(utf8(nested(JsonLimits.MAX_DEPTH)));
    assertThat(CanonicalJson.write(deepest)).hasSize(2 * JsonLimits.MAX_DEPTH);
    assertThatThrownBy(() -> JsonLimits.DEFAULT.withMaxDepth(JsonLimits.MAX_DEPTH + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizeLimitIsConfigurable() {
    StrictJsonReader small = StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxBytes(8));
    assertThat(small.read(utf8("[1,2,3]"))).isInstanceOf(JsonArray.class);
    assertThatThrownBy(() -> small.read(utf8("[1,2,3,4]")))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
    assertThatThrownBy(() -> small.read("[1,2,3,4]"))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
    byte[] big = utf8("[" + "1,".repeat(600_000) + "1]");
    assertThatThrownBy(() -> READER.read(big))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
  }

  @Test
  void readsValidDocuments() {
    JsonValue v = READER.read(utf8(
        " {\"s\":\"\\u00e9\\ud83d\\ude00\\n\",\"n\":[0,-0,1.5e3,18446744073709551615],"
            + "\"t\":true,\"f\":false,\"z\":null} "));
    JsonObject o = (JsonObject) v;
    assertThat(o.members().keySet()).containsExactly("s", "n", "t", "f", "z");
    assertThat(o.get("s")).contains(new JsonString("é\uD83D\uDE00\n"));
    JsonArray n = (JsonArray) o.get("n").orElseThrow();
    assertThat(((JsonNumber) n.elements().get(3)).text()).isEqualTo("18446744073709551615");
    assertThat(((JsonNumber) n.elements().get(2)).doubleValue()).isEqualTo(1500.0);
    assertThat(o.get("t")).contains(JsonBoolean.TRUE);
    assertThat(o.get("z")).contains(JsonNull.INSTANCE);
    assertThat(READER.read("\"\uD83D\uDE00\"")).isEqualTo(new JsonString("\uD83D\uDE00"));
    assertThat(READER.read(hex("22f09f988022"))).isEqualTo(new JsonString("\uD83D\uDE00"));
  }

  @Test
  void readingAStringRefusesLoneSurrogates() {
    assertThatThrownBy(() -> READER.read("\"\uD800\""))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UTF8));
  }

  @Property(tries = 2000)
  void randomBytesOnlyEverGiveTheTypedError(@ForAll("jsonishBytes") byte[] input) {
    readOrTypedError(input);
  }

  @Property(tries = 2000)
  void randomStringsOnlyEverGiveTheTypedError(@ForAll("jsonishStrings") String input) {
    readOrTypedError(utf8(input));
    try {
      READER.read(input);
    } catch (KasComputeException expected) {
      assertThat(expected.code()).isNotNull();
    }
  }

  /** Reading either fails with the typed error or succeeds; streaming canonicalization agrees. */
  private static void readOrTypedError(byte[] input) {
    JsonValue value;
    try {
      value = READER.read(input);
    } catch (KasComputeException expected) {
      assertThatThrownBy(() -> CanonicalJson.canonicalize(input))
          .isInstanceOfSatisfying(KasComputeException.class,
              e -> assertThat(e.code()).isEqualTo(expected.code()));
      return;
    }
    assertThat(CanonicalJson.canonicalize(input)).isEqualTo(CanonicalJson.write(value));
  }

  @Provide
  Arbitrary<byte[]> jsonishBytes() {
    Arbitrary<Byte> interesting = Arbitraries.of(
        (byte) '{', (byte) '}', (byte) '[', (byte) ']', (byte) '"', (byte) ':', (byte) ',',
        (byte) '\\', (byte) 'u', (byte) '0', (byte) '1', (byte) '-', (byte) 'e', (byte) '.',
        (byte) 'd', (byte) '8', (byte) 0xed, (byte) 0xc0, (byte) 0xf4, (byte) 0x80, (byte) ' ');
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.oneOf(interesting, any).array(byte[].class).ofMaxSize(64);
  }

  @Provide
  Arbitrary<String> jsonishStrings() {
    return Arbitraries.oneOf(
            Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "\\u", "\\ud800", "\\udc00",
                "\\\"", "NaN", "Infinity", "-", "1e999", "0", "1.5", "true", "null", "\"k\"",
                "1e-99999999999", "123456789012345678901234567890", " "),
            Arbitraries.strings().ofMaxLength(3))
        .list().ofMaxSize(24)
        .map(parts -> String.join("", parts));
  }
}
