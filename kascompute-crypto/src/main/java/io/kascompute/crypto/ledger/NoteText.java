package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The lexical rules of C2SP signed notes: text, key names, strict base64. */
final class NoteText {
  private NoteText() {}

  static KasComputeException malformed(String message) {
    return new KasComputeException(ErrorCode.MALFORMED_NOTE, message);
  }

  /** Decodes strict UTF-8, refusing invalid sequences and control characters other than LF. */
  static String decode(byte[] utf8, String what) {
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw malformed(what + " is not valid UTF-8");
    }
    checkText(s, what);
    return s;
  }

  /** Refuses lone surrogates and control characters other than LF. */
  static void checkText(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw malformed(what + " holds the control character U+" + String.format("%04X", (int) c)
            + " at " + i);
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw malformed(what + " holds a lone surrogate at " + i);
        }
      }
    }
  }

  /**
   * Checks a key name: non-empty, no Unicode white space (Go's {@code unicode.IsSpace}: the
   * categories Zs, Zl, Zp and U+0009..U+000D, U+0085), no {@code +}, no control character.
   */
  static String checkKeyName(String name) {
    if (name.isEmpty()) {
      throw malformed("a key name must not be empty");
    }
    checkText(name, "key name");
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp == '+' || cp == '\n' || Character.isSpaceChar(cp) || cp >= 0x09 && cp <= 0x0d
          || cp == 0x85) {
        throw malformed("key name \"" + name + "\" holds a space or '+' at " + i);
      }
      i += Character.charCount(cp);
    }
    return name;
  }

  /** Standard base64 with padding, refusing anything that does not re-encode to itself. */
  static byte[] base64(String text, String what) {
    byte[] out;
    try {
      out = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not base64: " + e.getMessage());
    }
    if (!Base64.getEncoder().encodeToString(out).equals(text)) {
      throw malformed(what + " is not canonical padded base64");
    }
    return out;
  }
}
