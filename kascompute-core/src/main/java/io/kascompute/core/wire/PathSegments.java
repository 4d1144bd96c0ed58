package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.StrictUtf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Ids in request paths: {@link #encode} percent-encodes an id (run, task, DAG) as one path
 * segment, every byte of its UTF-8 form except RFC 3986's unreserved characters {@code A-Z a-z
 * 0-9 - . _ ~}; {@link #decode} is its inverse, as a coordinator reads the segment.
 */
public final class PathSegments {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private PathSegments() {}

  /**
   * The id as one percent-encoded path segment, e.g. {@code "x y/z"} as {@code x%20y%2Fz}.
   *
   * @throws KasComputeException {@code invalid_utf8} if the id holds a lone surrogate
   */
  public static String encode(String id) {
    byte[] utf8 = StrictUtf8.encode(id);
    StringBuilder out = new StringBuilder(utf8.length + 8);
    for (byte b : utf8) {
      int c = b & 0xff;
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~';
      if (unreserved) {
        out.append((char) c);
      } else {
        out.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes one path segment: {@code %XX} escapes (either case) as UTF-8 bytes, everything else
   * as is ({@code +} stays {@code +}).
   *
   * @throws KasComputeException {@code not_found} for a malformed escape or bytes that are not
   *     UTF-8
   */
  public static String decode(String segment) {
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
          throw new KasComputeException(ErrorCode.NOT_FOUND, "malformed percent escape in the path");
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
      throw new KasComputeException(ErrorCode.NOT_FOUND, "a path segment does not decode to UTF-8");
    }
  }
}
