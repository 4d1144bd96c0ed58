package io.kascompute.dag.internal.spec;

/**
 * The Unicode {@code White_Space} property, which is what Rust's {@code str::trim} trims and so
 * what deployed V1 coordinators trim: U+0009..U+000D, U+0020, U+0085, U+00A0, U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and U+3000. It is neither Java's {@link
 * Character#isWhitespace} (which leaves out U+0085, U+00A0, U+2007 and U+202F and adds
 * U+001C..U+001F) nor {@link String#strip}.
 */
public final class Whitespace {
  private Whitespace() {}

  /** True if the well-formed UTF-8 in {@code b[off .. off+len)} is empty or only White_Space. */
  public static boolean isBlank(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        if (c != 0x20 && (c < 0x09 || c > 0x0d)) {
          return false;
        }
        i++;
      } else if (c == 0xc2) {
        int c2 = b[i + 1] & 0xff;
        if (c2 != 0x85 && c2 != 0xa0) {
          return false;
        }
        i += 2;
      } else if (c == 0xe1) {
        if ((b[i + 1] & 0xff) != 0x9a || (b[i + 2] & 0xff) != 0x80) {
          return false; // U+1680
        }
        i += 3;
      } else if (c == 0xe2) {
        int c2 = b[i + 1] & 0xff;
        int c3 = b[i + 2] & 0xff;
        boolean space = c2 == 0x80 && (c3 <= 0x8a || c3 == 0xa8 || c3 == 0xa9 || c3 == 0xaf)
            || c2 == 0x81 && c3 == 0x9f;
        if (!space) {
          return false; // U+2000..U+200A, U+2028, U+2029, U+202F, U+205F
        }
        i += 3;
      } else if (c == 0xe3) {
        if ((b[i + 1] & 0xff) != 0x80 || (b[i + 2] & 0xff) != 0x80) {
          return false; // U+3000
        }
        i += 3;
      } else {
        return false;
      }
    }
    return true;
  }
}
