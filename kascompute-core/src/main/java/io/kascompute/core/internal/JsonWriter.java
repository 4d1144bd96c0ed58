package io.kascompute.core.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer that writes compact JSON tokens with the protocol's minimal string
 * escaping: {@code "} and {@code \} escaped, control characters below U+0020 as {@code \b \t \n \f
 * \r} or {@code \}{@code u00xx} (lowercase hex), everything else as raw UTF-8. This is both the V1
 * payload escaping and RFC 8785's.
 */
public final class JsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final long TEN_TO_THE_19 = Long.parseUnsignedLong("10000000000000000000");

  private byte[] buf;
  private int len;

  /** A writer with the given initial capacity in bytes. */
  public JsonWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** Forgets everything written, keeping the buffer. */
  public JsonWriter reset() {
    len = 0;
    return this;
  }

  /** Drops everything written after the first {@code size} bytes. */
  public JsonWriter truncate(int size) {
    if (size < 0 || size > len) {
      throw new IndexOutOfBoundsException(size);
    }
    len = size;
    return this;
  }

  /** The number of bytes written. */
  public int size() {
    return len;
  }

  /** The internal buffer; only the first {@link #size()} bytes are meaningful. */
  public byte[] buffer() {
    return buf;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  /** Writes one ASCII byte. */
  public JsonWriter raw(char ascii) {
    ensure(1);
    buf[len++] = (byte) ascii;
    return this;
  }

  /** Writes ASCII text verbatim (punctuation, literals, numbers). */
  public JsonWriter raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /** Writes raw bytes verbatim. */
  public JsonWriter raw(byte[] bytes, int off, int n) {
    ensure(n);
    System.arraycopy(bytes, off, buf, len, n);
    len += n;
    return this;
  }

  /** Writes an unsigned 64-bit integer held in a {@code long}. */
  public JsonWriter unsigned(long value) {
    ensure(20);
    len = writeUnsigned(buf, len, value);
    return this;
  }

  /**
   * Writes the decimal digits of the unsigned 64-bit integer {@code u}, as {@link
   * Long#toUnsignedString}, at {@code p} of {@code out}, which has room for 20 bytes; returns the
   * position after them.
   */
  public static int writeUnsigned(byte[] out, int p, long u) {
    int end = p + unsignedDigits(u);
    int q = end;
    if (u < 0) {
      long tenth = (u >>> 1) / 5;
      out[--q] = (byte) ('0' + (u - tenth * 10));
      u = tenth;
    }
    do {
      out[--q] = (byte) ('0' + u % 10);
      u /= 10;
    } while (u != 0);
    return end;
  }

  /** The number of decimal digits of an unsigned 64-bit integer. */
  public static int unsignedDigits(long u) {
    if (u < 0) {
      return Long.compareUnsigned(u, TEN_TO_THE_19) >= 0 ? 20 : 19;
    }
    int n = 1;
    for (long limit = 10; n < 19 && u >= limit; limit *= 10) {
      n++;
    }
    return n;
  }

  /** Writes {@code "key":} with the key escaped. */
  public JsonWriter key(String key) {
    string(key);
    return raw(':');
  }

  /**
   * Writes a quoted, escaped string as UTF-8.
   *
   * @throws KasComputeException {@link ErrorCode#INVALID_UTF8} if the string holds a lone
   *     surrogate, which has no UTF-8 encoding
   */
  public JsonWriter string(String s) {
    int n = s.length();
    ensure(n * 3 + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        len = p;
        ensure(6 + (n - i) * 3 + 1);
        b = buf;
        p = len;
        p = escape(b, p, c);
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new KasComputeException(
              ErrorCode.INVALID_UTF8, "string holds a lone surrogate at index " + i);
        }
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xf0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    b[p++] = '"';
    len = p;
    return this;
  }

  /**
   * Writes well-formed UTF-8 bytes {@code utf8[off .. off+n)} as a quoted, escaped string,
   * byte for byte what {@link #string} writes for the same text.
   */
  public JsonWriter utf8String(byte[] utf8, int off, int n) {
    // At most six bytes a byte; a long string is measured first rather than over-reserved.
    ensure(n < 1024 ? 6 * n + 2 : Math.toIntExact(literalLength(utf8, off, n)));
    len = writeLiteral(utf8, off, n, buf, len);
    return this;
  }

  /**
   * The length of the string literal, quotes included, that {@link #writeLiteral} writes for the
   * UTF-8 {@code b[off .. off+len)}.
   */
  public static long literalLength(byte[] b, int off, int len) {
    long n = len + 2L;
    for (int k = off; k < off + len; k++) {
      int c = b[k];
      if (c >= 0 && (c < 0x20 || c == '"' || c == '\\')) {
        n += c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
            ? 1 : 5;
      }
    }
    return n;
  }

  /**
   * Writes the string literal of the UTF-8 {@code b[off .. off+len)} at {@code p} of {@code out},
   * which has room for {@link #literalLength}: {@code "} and {@code \} escaped, control
   * characters as {@link #escape} writes them, every other byte, non-ASCII included, as it is;
   * returns the position after it.
   */
  public static int writeLiteral(byte[] b, int off, int len, byte[] out, int p) {
    out[p++] = '"';
    for (int k = off; k < off + len; k++) {
      int c = b[k];
      if (c >= 0x20 && c != '"' && c != '\\' || c < 0) {
        out[p++] = (byte) c;
      } else {
        p = escape(out, p, c);
      }
    }
    out[p++] = '"';
    return p;
  }

  /** Writes {@code n} bytes of {@code bytes} from {@code off} as a quoted lowercase hex string. */
  public JsonWriter hexString(byte[] bytes, int off, int n) {
    ensure(2 * n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int k = off; k < off + n; k++) {
      b[p++] = HEX[(bytes[k] >> 4) & 0xf];
      b[p++] = HEX[bytes[k] & 0xf];
    }
    b[p++] = '"';
    len = p;
    return this;
  }

  /**
   * Writes the minimal escape of the quote, the backslash or a control character {@code c} at
   * {@code p} of {@code out} (at most 6 bytes: the short forms where JSON has one, else
   * a backslash, {@code u00} and two lowercase hex digits); returns the position after it.
   */
  public static int escape(byte[] out, int p, int c) {
    out[p++] = '\\';
    switch (c) {
      case '"' -> out[p++] = '"';
      case '\\' -> out[p++] = '\\';
      case '\b' -> out[p++] = 'b';
      case '\t' -> out[p++] = 't';
      case '\n' -> out[p++] = 'n';
      case '\f' -> out[p++] = 'f';
      case '\r' -> out[p++] = 'r';
      default -> {
        out[p++] = 'u';
        out[p++] = '0';
        out[p++] = '0';
        out[p++] = HEX[c >> 4];
        out[p++] = HEX[c & 0xf];
      }
    }
    return p;
  }
}
