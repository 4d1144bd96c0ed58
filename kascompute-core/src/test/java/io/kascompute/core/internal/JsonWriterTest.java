package io.kascompute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  /** Well-formed text only: a lone surrogate has no UTF-8 to write. */
  @Property
  void utf8StringWritesWhatStringWrites(
      @ForAll @CharRange(from = 0, to = 0xD7FF) @Chars({'"', '\\', '\u00e9', '\u007f'}) String s,
      @ForAll int codePoint) {
    String text = s + new String(Character.toChars(Math.floorMod(codePoint, 0x10000) + 0x10000));
    byte[] utf8 = ("x" + text + "y").getBytes(StandardCharsets.UTF_8);
    JsonWriter expected = new JsonWriter(4).raw('[').string(text).raw(']');
    JsonWriter actual = new JsonWriter(4).raw('[').utf8String(utf8, 1, utf8.length - 2).raw(']');
    assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void utf8StringEscapesControlCharactersQuotesAndBackslashes() {
    byte[] utf8 = "a\"b\\c\u0000\u001f\n\t\u00e9".getBytes(StandardCharsets.UTF_8);
    assertThat(new String(new JsonWriter(1).utf8String(utf8, 0, utf8.length).toByteArray(),
        StandardCharsets.UTF_8)).isEqualTo("\"a\\\"b\\\\c\\u0000\\u001f\\n\\t\u00e9\"");
  }

  @Property
  void hexStringIsQuotedLowercaseHex(@ForAll byte[] bytes) {
    JsonWriter w = new JsonWriter(1).raw(':').hexString(bytes, 0, bytes.length);
    assertThat(new String(w.toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo(":\"" + HexFormat.of().formatHex(bytes) + "\"");
  }

  @Property
  void unsignedWritesTheUnsignedDecimalDigits(@ForAll long value) {
    JsonWriter w = new JsonWriter(1).raw('[').unsigned(value).raw(']');
    assertThat(new String(w.toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo("[" + Long.toUnsignedString(value) + "]");
    assertThat(JsonWriter.unsignedDigits(value)).isEqualTo(Long.toUnsignedString(value).length());
  }
}
