package io.kascompute.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte searches eight bytes at a time (SIMD within a register), for the audit's hot loops. */
public final class Swar {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;

  private Swar() {}

  /** Whether a byte of {@code word} is zero (exact). */
  private static long zeroBytes(long word) {
    return (word - ONES) & ~word & HIGHS;
  }

  /** The index of the first LF in {@code b[from..to)}, or -1. */
  public static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    while (i + 8 <= to && zeroBytes((long) LONGS.get(b, i) ^ NEWLINES) == 0) {
      i += 8;
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The index of the first byte at or after {@code from} that a JSON string scanner must look at
   * (a quote, a backslash, a control character or a non-ASCII byte), or a position before it
   * (never past {@code to}); the bytes skipped are plain printable ASCII.
   */
  public static int skipPlainAscii(byte[] b, int from, int to) {
    int i = from;
    while (i + 8 <= to) {
      long w = (long) LONGS.get(b, i);
      long special = (w & HIGHS) | zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES)
          | ((w - SPACES) & ~w & HIGHS);
      if (special != 0) {
        break;
      }
      i += 8;
    }
    return i;
  }
}
