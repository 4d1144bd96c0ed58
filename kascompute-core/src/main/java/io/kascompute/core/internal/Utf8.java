package io.kascompute.core.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Well-formed UTF-8 (RFC 3629), as every strict JSON reader of the SDK checks it. */
public final class Utf8 {
  /** Returned by {@link #sequenceLength} when a sequence runs past the end of its input. */
  public static final int TRUNCATED = -1;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Utf8() {}

  /**
   * The length (2 to 4) of the well-formed sequence whose lead byte, not ASCII, is at {@code i}:
   * no stray continuation byte, no overlong form, no surrogate, nothing above U+10FFFF; 0 if it is
   * malformed, {@link #TRUNCATED} if it is cut off by {@code end}.
   */
  public static int sequenceLength(byte[] b, int i, int end) {
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

  /**
   * Checks that {@code len} bytes from {@code off} are well-formed UTF-8 without a NUL byte, the
   * first check of strict JSON reading; the first fault found, scanning forward, is reported.
   *
   * @throws KasComputeException {@code malformed_json} for a NUL byte (never valid in UTF-8 JSON
   *     text, and what would make a parser guess UTF-16 or UTF-32), {@code invalid_utf8} for a
   *     malformed or truncated sequence
   */
  public static void checkDocument(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      // Eight ASCII bytes at a time while there are any and none of them is NUL.
      while (i + 8 <= end && asciiWithoutNul((long) LONGS.get(b, i))) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int c = b[i];
      if (c == 0) {
        throw new KasComputeException(ErrorCode.MALFORMED_JSON, "NUL byte at byte " + (i - off));
      }
      if (c > 0) {
        i++;
        continue;
      }
      int n = sequenceLength(b, i, end);
      if (n == TRUNCATED) {
        throw new KasComputeException(
            ErrorCode.INVALID_UTF8, "truncated UTF-8 sequence at byte " + (i - off));
      }
      if (n == 0) {
        throw new KasComputeException(ErrorCode.INVALID_UTF8, "invalid UTF-8 at byte " + (i - off));
      }
      i += n;
    }
  }

  /** True if all eight bytes of {@code word} are ASCII and none is zero. */
  private static boolean asciiWithoutNul(long word) {
    return ((word | ((word - 0x0101010101010101L) & ~word)) & 0x8080808080808080L) == 0;
  }
}
