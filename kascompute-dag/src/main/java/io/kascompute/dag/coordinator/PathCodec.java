package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a request path into percent-decoded segments. */
final class PathCodec {
  private PathCodec() {}

  /**
   * The segments of {@code path} after its leading {@code /}, each percent-decoded as UTF-8; a
   * query string ({@code ?...}) is dropped and a trailing {@code /} ignored.
   *
   * @throws KasComputeException {@code not_found} if the path does not start with {@code /}, holds
   *     a malformed escape, or decodes to invalid UTF-8
   */
  static List<String> segments(String path) {
    int q = path.indexOf('?');
    String p = q >= 0 ? path.substring(0, q) : path;
    if (!p.startsWith("/")) {
      throw new KasComputeException(ErrorCode.NOT_FOUND, "path must start with /: " + p);
    }
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    List<String> out = new ArrayList<>();
    int start = 1;
    while (start <= p.length()) {
      int end = p.indexOf('/', start);
      if (end < 0) {
        end = p.length();
      }
      out.add(decode(p.substring(start, end)));
      start = end + 1;
    }
    return out;
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(utf8.length);
    for (int i = 0; i < utf8.length; i++) {
      byte b = utf8[i];
      if (b == '%') {
        int hi = i + 2 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
        int lo = i + 2 < utf8.length ? Character.digit(utf8[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new KasComputeException(
              ErrorCode.NOT_FOUND, "malformed percent escape in path segment " + segment);
        }
        out.put((byte) (hi << 4 | lo));
        i += 2;
      } else {
        out.put(b);
      }
    }
    out.flip();
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(out)
          .toString();
    } catch (CharacterCodingException e) {
      throw new KasComputeException(
          ErrorCode.NOT_FOUND, "path segment " + segment + " does not decode to UTF-8");
    }
  }
}
