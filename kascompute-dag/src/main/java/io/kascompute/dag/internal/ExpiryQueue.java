package io.kascompute.dag.internal;

import java.util.Arrays;

/**
 * Lease entries {@code (expiry, task, epoch)} ordered by expiry: a FIFO ring for the common case
 * where expiries arrive in non-decreasing order (one clock, one lease duration), and a binary heap
 * for entries that arrive out of order. Entries are never updated in place; the owner checks each
 * entry it takes against the task's current state (lazy deletion).
 */
final class ExpiryQueue {
  private long[] ringExpiry = new long[16];
  private long[] ringKey = new long[16];
  private int ringHead;
  private int ringSize;
  private long[] heapExpiry = new long[0];
  private long[] heapKey = new long[0];
  private int heapSize;

  static long key(int task, int epoch) {
    return ((long) task << 32) | (epoch & 0xffffffffL);
  }

  static int task(long key) {
    return (int) (key >>> 32);
  }

  static int epoch(long key) {
    return (int) key;
  }

  boolean isEmpty() {
    return ringSize == 0 && heapSize == 0;
  }

  int size() {
    return ringSize + heapSize;
  }

  void add(long expiry, int task, int epoch) {
    long key = key(task, epoch);
    if (ringSize == 0 || expiry >= ringExpiry[(ringHead + ringSize - 1) & (ringExpiry.length - 1)]) {
      if (ringSize == ringExpiry.length) {
        growRing();
      }
      int slot = (ringHead + ringSize) & (ringExpiry.length - 1);
      ringExpiry[slot] = expiry;
      ringKey[slot] = key;
      ringSize++;
    } else {
      heapAdd(expiry, key);
    }
  }

  /** Whether the smallest entry sits in the ring (true) or the heap (false); queue not empty. */
  private boolean minInRing() {
    if (heapSize == 0) {
      return true;
    }
    if (ringSize == 0) {
      return false;
    }
    return ringExpiry[ringHead] <= heapExpiry[0];
  }

  long peekExpiry() {
    return minInRing() ? ringExpiry[ringHead] : heapExpiry[0];
  }

  long peekKey() {
    return minInRing() ? ringKey[ringHead] : heapKey[0];
  }

  void pop() {
    if (minInRing()) {
      ringHead = (ringHead + 1) & (ringExpiry.length - 1);
      ringSize--;
    } else {
      heapPop();
    }
  }

  private void growRing() {
    int n = ringExpiry.length;
    long[] e = new long[n * 2];
    long[] k = new long[n * 2];
    for (int i = 0; i < ringSize; i++) {
      e[i] = ringExpiry[(ringHead + i) & (n - 1)];
      k[i] = ringKey[(ringHead + i) & (n - 1)];
    }
    ringExpiry = e;
    ringKey = k;
    ringHead = 0;
  }

  private void heapAdd(long expiry, long key) {
    if (heapSize == heapExpiry.length) {
      int n = Math.max(16, heapSize * 2);
      heapExpiry = Arrays.copyOf(heapExpiry, n);
      heapKey = Arrays.copyOf(heapKey, n);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heapExpiry[parent] <= expiry) {
        break;
      }
      heapExpiry[i] = heapExpiry[parent];
      heapKey[i] = heapKey[parent];
      i = parent;
    }
    heapExpiry[i] = expiry;
    heapKey[i] = key;
  }

  private void heapPop() {
    heapSize--;
    long expiry = heapExpiry[heapSize];
    long key = heapKey[heapSize];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heapExpiry[child + 1] < heapExpiry[child]) {
        child++;
      }
      if (heapExpiry[child] >= expiry) {
        break;
      }
      heapExpiry[i] = heapExpiry[child];
      heapKey[i] = heapKey[child];
      i = child;
    }
    if (heapSize > 0) {
      heapExpiry[i] = expiry;
      heapKey[i] = key;
    }
  }
}
