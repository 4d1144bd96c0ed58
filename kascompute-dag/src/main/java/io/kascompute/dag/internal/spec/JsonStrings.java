package io.kascompute.dag.internal.spec;

import io.kascompute.core.internal.JsonWriter;

/**
 * JSON string literals of UTF-8 bytes in the protocol's canonical form: {@code "} and {@code \}
 * escaped, control characters as {@code \b \t \n \f \r} or {@code \}{@code u00xx}, everything
 * else, non-ASCII included, as its raw bytes.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /** The length of the literal, quotes included, for the UTF-8 {@code b[off .. off+len)}. */
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
   * Writes the literal for {@code b[off .. off+len)} at {@code p} of {@code out}, which has room
   * for {@link #literalLength}; returns the position after it.
   */
  public static int write(byte[] b, int off, int len, byte[] out, int p) {
    out[p++] = '"';
    for (int k = off; k < off + len; k++) {
      int c = b[k];
      if (c >= 0x20 && c != '"' && c != '\\' || c < 0) {
        out[p++] = (byte) c;
      } else {
        p = JsonWriter.escape(out, p, c);
      }
    }
    out[p++] = '"';
    return p;
  }
}
