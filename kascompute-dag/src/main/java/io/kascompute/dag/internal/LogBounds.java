package io.kascompute.dag.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.dag.ledger.LedgerLog;

/**
 * The argument checks every {@link LedgerLog} makes, with one wording: sizes and indexes are
 * unsigned on the wire, so a negative {@code long} here is a value of 2^63 or more.
 */
public final class LogBounds {
  private LogBounds() {}

  /** Checks {@code 0 <= size <= logSize}. */
  public static void size(String name, long size, long logSize) {
    if (size < 0 || size > logSize) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, name + " "
          + Long.toUnsignedString(size) + " is beyond the log's " + logSize + " entries");
    }
  }

  /** Checks {@code 0 <= index < size <= logSize}. */
  public static void inclusion(long index, long size, long logSize) {
    size("size", size, logSize);
    if (index < 0 || index >= size) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "index "
          + Long.toUnsignedString(index) + " is not below size " + size);
    }
  }

  /** Checks {@code 0 <= first <= second <= logSize}. */
  public static void consistency(long first, long second, long logSize) {
    size("second", second, logSize);
    if (first < 0 || first > second) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "first "
          + Long.toUnsignedString(first) + " is above second " + second);
    }
  }

  /** Checks {@code 0 <= start < end <= logSize} and at most {@link LedgerLog#MAX_LEAVES_PER_READ} entries. */
  public static void leaves(long start, long end, long logSize) {
    size("end", end, logSize);
    if (start < 0 || start >= end) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "start "
          + Long.toUnsignedString(start) + " is not below end " + end);
    }
    if (end - start > LedgerLog.MAX_LEAVES_PER_READ) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "at most "
          + LedgerLog.MAX_LEAVES_PER_READ + " entries are read at once, not " + (end - start));
    }
  }

  /** The refusal of a leaf older than the retention; {@code firstKept} is -1 when none is kept. */
  public static KasComputeException forgotten(long index, long firstKept) {
    return new KasComputeException(ErrorCode.ENTRY_FORGOTTEN, "entry " + index
        + " is older than the store's retention ("
        + (firstKept < 0 ? "no leaf is kept" : "the oldest leaf kept is entry " + firstKept)
        + "); its tree hashes are kept, so proofs for it still answer");
  }
}
