package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How the JDBC stores keep values PostgreSQL's {@code text} cannot: every string that comes from a
 * node or a host (node ids, task ids, owners, client versions, roles, ...) is kept as {@code bytea}
 * in generalized UTF-8 — UTF-8, with a lone surrogate written as the three bytes its code unit
 * would take — so that every Java string, NUL and lone surrogates included, round-trips exactly,
 * and valid strings sort by code point, as the protocol orders ids. Instants are {@code bigint}
 * nanoseconds since the epoch.
 */
final class Codec {
  private Codec() {}

  /** The string's generalized UTF-8 bytes. */
  static byte[] text(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    if (ascii) {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = (byte) s.charAt(i);
      }
      return out;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xc0 | (c >> 6));
        out.write(0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xf0 | (cp >> 18));
        out.write(0x80 | ((cp >> 12) & 0x3f));
        out.write(0x80 | ((cp >> 6) & 0x3f));
        out.write(0x80 | (cp & 0x3f));
      } else {
        out.write(0xe0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3f));
        out.write(0x80 | (c & 0x3f));
      }
    }
    return out.toByteArray();
  }

  /**
   * The string of bytes written by {@link #text}.
   *
   * @throws IllegalStateException if the bytes are not such an encoding (a corrupted row)
   */
  static String string(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int x = b[i] & 0xff;
      if (x < 0x80) {
        sb.append((char) x);
        i += 1;
      } else if (x >= 0xc0 && x < 0xe0 && i + 1 < b.length) {
        sb.append((char) (((x & 0x1f) << 6) | (b[i + 1] & 0x3f)));
        i += 2;
      } else if (x >= 0xe0 && x < 0xf0 && i + 2 < b.length) {
        sb.append((char) (((x & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f)));
        i += 3;
      } else if (x >= 0xf0 && x < 0xf8 && i + 3 < b.length) {
        int cp = ((x & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6)
            | (b[i + 3] & 0x3f);
        sb.appendCodePoint(cp);
        i += 4;
      } else {
        throw new IllegalStateException("stored text is not generalized UTF-8 at byte " + i);
      }
    }
    return sb.toString();
  }

  /** The strings as one value: each as a 4-byte big-endian length and its {@link #text} bytes. */
  static byte[] texts(List<String> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String v : values) {
      byte[] b = text(v);
      out.write(b.length >>> 24);
      out.write(b.length >>> 16);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  /** The strings of {@link #texts}. */
  static List<String> strings(byte[] b) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < b.length) {
      if (i + 4 > b.length) {
        throw new IllegalStateException("stored list is truncated at byte " + i);
      }
      int len = ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8)
          | (b[i + 3] & 0xff);
      i += 4;
      if (len < 0 || i + len > b.length) {
        throw new IllegalStateException("stored list is truncated at byte " + i);
      }
      byte[] item = new byte[len];
      System.arraycopy(b, i, item, 0, len);
      out.add(string(item));
      i += len;
    }
    return out;
  }

  /**
   * Nanoseconds since the epoch, the schema's form of an instant (years 1678 to 2261).
   *
   * @throws KasComputeException {@code FIELD_OUT_OF_RANGE} outside that range
   */
  static long nanos(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "instant " + instant + " is outside the store's range (years 1678 to 2261)");
    }
  }

  /** The instant of {@link #nanos}. */
  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L));
  }

  /**
   * Whether PostgreSQL {@code text} holds the string exactly (no NUL, no lone surrogate); ids the
   * stores generate always do, so a lookup of one that does not is answered "not found" without
   * asking the database.
   */
  static boolean fitsText(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }
}
