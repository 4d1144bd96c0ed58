package io.kascompute.core.json;

/** Well-formed UTF-8 (RFC 3629) multi-byte sequences, as both JSON readers check them. */
final class Utf8 {
  /** Returned by {@link #sequenceLength} when a sequence runs past the end of its input. */
  static final int TRUNCATED = -1;

  private Utf8() {}

  /**
   * The length (2 to 4) of the well-formed sequence whose lead byte, not ASCII, is at {@code i}:
   * no stray continuation byte, no overlong form, no surrogate, nothing above U+10FFFF; 0 if it is
   * malformed, {@link #TRUNCATED} if it is cut off by {@code end}.
   */
  static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    int need;
    int min = 0x80;
    int max = 0xbf;
    if (c < 0xc2) {
      return 0;
    } else if (c < 0xe0) {
      need = 1;
    } else if (c < 0xf0) {
      need = 2;
      if (c == 0xe0) {
        min = 0xa0; // overlong below U+0800
      } else if (c == 0xed) {
        max = 0x9f; // U+D800..U+DFFF are surrogates
      }
    } else if (c < 0xf5) {
      need = 3;
      if (c == 0xf0) {
        min = 0x90; // overlong below U+10000
      } else if (c == 0xf4) {
        max = 0x8f; // above U+10FFFF
      }
    } else {
      return 0;
    }
    if (i + need >= end) {
      return TRUNCATED;
    }
    int second = b[i + 1] & 0xff;
    if (second < min || second > max) {
      return 0;
    }
    for (int k = 2; k <= need; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return 0;
      }
    }
    return need + 1;
  }
}
