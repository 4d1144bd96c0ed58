package io.kascompute.crypto.ledger;

/**
 * A set of 128-bit fingerprints in open addressing (linear probing), growing by doubling up to a
 * fixed capacity: 16 bytes per slot, at most 3/4 full.
 */
final class FingerprintSet {
  private final long capacity;
  private long[] slots = new long[2 << 10];
  private long size;
  private boolean hasZero;

  FingerprintSet(long capacity) {
    this.capacity = capacity;
  }

  /**
   * Adds a fingerprint; false if it was there already.
   *
   * @throws IllegalStateException beyond the capacity
   */
  boolean add(long hi, long lo) {
    if (hi == 0 && lo == 0) {
      boolean added = !hasZero;
      hasZero = true;
      size += added ? 1 : 0;
      return added;
    }
    if (size >= capacity) {
      throw new IllegalStateException("more than " + capacity + " fingerprints");
    }
    if ((size + 1) * 4 > (slots.length / 2) * 3L) {
      grow();
    }
    if (!insert(slots, hi, lo)) {
      return false;
    }
    size++;
    return true;
  }

  private static boolean insert(long[] table, long hi, long lo) {
    int mask = table.length / 2 - 1;
    int i = (int) (lo ^ (lo >>> 32)) & mask;
    while (true) {
      long h = table[2 * i];
      long l = table[2 * i + 1];
      if (h == 0 && l == 0) {
        table[2 * i] = hi;
        table[2 * i + 1] = lo;
        return true;
      }
      if (h == hi && l == lo) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (int i = 0; i < slots.length; i += 2) {
      if (slots[i] != 0 || slots[i + 1] != 0) {
        insert(bigger, slots[i], slots[i + 1]);
      }
    }
    slots = bigger;
  }
}
