package io.kascompute.testkit.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks a request target and turns it into the path the coordinator is handed: still
 * percent-encoded, with raw bytes above 0x7F decoded as UTF-8 (never Latin-1).
 */
final class RequestTarget {
  private RequestTarget() {}

  /** Thrown for a target that is not an absolute path (or absolute URI) of valid bytes. */
  static final class MalformedTargetException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedTargetException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The coordinator's path for {@code target}.
   *
   * @param target the request target as read off the wire, one {@code char} per byte (0 to 255)
   * @return the origin-form target ({@code /path?query}) with percent-escapes intact and raw
   *     non-ASCII bytes decoded as UTF-8; an absolute-form target loses its scheme and authority
   * @throws MalformedTargetException if the target is not origin-form or absolute-form, holds a
   *     control byte, a space, a fragment or a character RFC 3986 does not allow, a malformed
   *     percent-escape, raw bytes that are not UTF-8, or a path whose escapes do not decode to UTF-8
   */
  static String path(String target) throws MalformedTargetException {
    String t = originForm(target);
    byte[] bytes = new byte[t.length()];
    boolean raw = false;
    int queryAt = t.length();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c > 0xFF) {
        throw new MalformedTargetException("the request target holds a character above U+00FF");
      }
      bytes[i] = (byte) c;
      if (c >= 0x80) {
        raw = true;
      } else if (c == '%') {
        if (i + 2 >= t.length() || hex(t.charAt(i + 1)) < 0 || hex(t.charAt(i + 2)) < 0) {
          throw new MalformedTargetException("malformed percent-escape in the request target");
        }
      } else if (c == '?' && queryAt == t.length()) {
        queryAt = i;
      } else if (!allowed(c)) {
        throw new MalformedTargetException(c < 0x20 || c == 0x7F
            ? "control byte 0x" + Integer.toHexString(c) + " in the request target"
            : "character '" + c + "' is not allowed in a request target");
      }
    }
    String decoded = raw ? utf8(ByteBuffer.wrap(bytes), "the request target is not valid UTF-8") : t;
    checkEscapesDecode(bytes, queryAt);
    return decoded;
  }

  private static String originForm(String target) throws MalformedTargetException {
    if (target.startsWith("/")) {
      return target;
    }
    String lower = target.length() > 8 ? target.substring(0, 8).toLowerCase(Locale.ROOT) : target;
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      throw new MalformedTargetException("the request target must be an absolute path");
    }
    for (int i = schemeEnd; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '/') {
        return target.substring(i);
      }
      if (c == '?') {
        return "/" + target.substring(i);
      }
    }
    return "/";
  }

  /** Percent-escapes in the path (not the query) must decode to UTF-8, as the coordinator decodes them. */
  private static void checkEscapesDecode(byte[] target, int pathEnd) throws MalformedTargetException {
    ByteBuffer out = null;
    for (int i = 0; i < pathEnd; i++) {
      if (target[i] == '%') {
        if (out == null) {
          out = ByteBuffer.allocate(pathEnd);
          out.put(target, 0, i);
        }
        out.put((byte) (hex((char) target[i + 1]) << 4 | hex((char) target[i + 2])));
        i += 2;
      } else if (out != null) {
        out.put(target[i]);
      }
    }
    if (out != null) {
      out.flip();
      utf8(out, "the request path does not decode to UTF-8");
    }
  }

  private static String utf8(ByteBuffer bytes, String message) throws MalformedTargetException {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return d.decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedTargetException(message);
    }
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** RFC 3986 unreserved, sub-delims, ':', '@', '/' and '?' (percent is checked separately). */
  private static boolean allowed(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
  }
}
