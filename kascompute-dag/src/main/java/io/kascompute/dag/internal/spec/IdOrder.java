package io.kascompute.dag.internal.spec;

import java.util.Arrays;

/**
 * Sorts byte strings by unsigned byte order, which for UTF-8 is Unicode code point order: a
 * most-significant-digit radix sort, four bytes a digit, each digit sorted as primitive longs.
 * Equal strings keep their input order.
 */
public final class IdOrder {
  /** Shorter groups are sorted by insertion. */
  private static final int INSERTION_MAX = 16;
  /** Beyond this many bytes of common prefix, groups are merge sorted by comparison. */
  private static final int RADIX_DEPTH_MAX = 256;
  private static final int INDEX_BITS = 29;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

  private final byte[] bytes;
  private final int[] starts;
  private final int[] ends;
  private final int[] items;
  private final int[] tmp;
  private final long[] keys;

  private IdOrder(byte[] bytes, int[] starts, int[] ends) {
    this.bytes = bytes;
    this.starts = starts;
    this.ends = ends;
    int n = starts.length;
    this.items = new int[n];
    for (int i = 0; i < n; i++) {
      items[i] = i;
    }
    this.tmp = new int[n];
    this.keys = new long[n];
  }

  /**
   * The indices {@code 0 .. starts.length-1} ordered by the strings {@code bytes[starts[i] ..
   * ends[i])}; fewer than 2^29 strings.
   */
  public static int[] order(byte[] bytes, int[] starts, int[] ends) {
    if (starts.length > INDEX_MASK) {
      throw new IllegalArgumentException("too many strings to sort: " + starts.length);
    }
    IdOrder o = new IdOrder(bytes, starts, ends);
    o.sort(0, starts.length, 0);
    return o.items;
  }

  private void sort(int lo, int hi, int depth) {
    int n = hi - lo;
    if (n < 2) {
      return;
    }
    if (n <= INSERTION_MAX) {
      insertion(lo, hi, depth);
      return;
    }
    if (depth >= RADIX_DEPTH_MAX) {
      mergeSort(lo, hi, depth);
      return;
    }
    for (int k = lo; k < hi; k++) {
      int s = items[k];
      int from = starts[s] + depth;
      int rem = ends[s] - from;
      long digit = 0;
      int take = Math.min(Math.max(rem, 0), 4);
      for (int b = 0; b < take; b++) {
        digit |= (bytes[from + b] & 0xffL) << (24 - 8 * b);
      }
      // Digit bytes, then how many of them are real (a shorter string sorts first), then the
      // position, which keeps the sort stable; the sign flip makes signed order unsigned order.
      keys[k] = ((digit << 32) | ((long) take << INDEX_BITS) | (k - lo)) ^ Long.MIN_VALUE;
    }
    Arrays.sort(keys, lo, hi);
    System.arraycopy(items, lo, tmp, lo, n);
    for (int k = lo; k < hi; k++) {
      items[k] = tmp[lo + (int) (keys[k] & INDEX_MASK)];
    }
    int run = lo;
    while (run < hi) {
      long group = keys[run] >>> INDEX_BITS;
      int next = run + 1;
      while (next < hi && keys[next] >>> INDEX_BITS == group) {
        next++;
      }
      // Only digits of four real bytes can be followed by more.
      if (next - run > 1 && ((group & 7) == 4)) {
        sort(run, next, depth + 4);
      }
      run = next;
    }
  }

  private int compare(int a, int b, int depth) {
    int c = Arrays.compareUnsigned(bytes, starts[a] + depth, ends[a], bytes, starts[b] + depth,
        ends[b]);
    return c != 0 ? c : Integer.compare(a, b);
  }

  private void insertion(int lo, int hi, int depth) {
    for (int k = lo + 1; k < hi; k++) {
      int v = items[k];
      int j = k - 1;
      while (j >= lo && compare(items[j], v, depth) > 0) {
        items[j + 1] = items[j];
        j--;
      }
      items[j + 1] = v;
    }
  }

  private void mergeSort(int lo, int hi, int depth) {
    if (hi - lo <= INSERTION_MAX) {
      insertion(lo, hi, depth);
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(lo, mid, depth);
    mergeSort(mid, hi, depth);
    System.arraycopy(items, lo, tmp, lo, hi - lo);
    int a = lo;
    int b = mid;
    for (int k = lo; k < hi; k++) {
      if (b >= hi || (a < mid && compare(tmp[a], tmp[b], depth) <= 0)) {
        items[k] = tmp[a++];
      } else {
        items[k] = tmp[b++];
      }
    }
  }
}
