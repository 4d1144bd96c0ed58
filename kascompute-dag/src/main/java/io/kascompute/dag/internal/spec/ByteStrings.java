package io.kascompute.dag.internal.spec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Distinct byte strings, each numbered from 0 in the order first seen, kept back to back in one
 * array: the task ids (and edge ends) and the task types of a spec being read.
 *
 * <p>The hash is seeded per instance, so that no input can be prepared to make lookups collide.
 */
public final class ByteStrings {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long seed = ThreadLocalRandom.current().nextLong() | 1;
  private byte[] bytes;
  private int length;
  private int[] ends;
  private int count;
  // Open addressing, linear probing: each slot holds a string's hash in its high half and its
  // number plus one in its low half (0: empty), so that a probe touches one array.
  private long[] slots;
  private int mask;

  /** An empty set with room for about {@code expected} strings. */
  public ByteStrings(int expected) {
    int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1);
    bytes = new byte[Math.max(64, expected * 8)];
    ends = new int[Math.max(8, expected)];
    slots = new long[capacity];
    mask = capacity - 1;
  }

  /** The number of distinct strings. */
  public int count() {
    return count;
  }

  /** The array holding every string back to back; string {@code k} spans {@link #start}..{@link #end}. */
  public byte[] bytes() {
    return bytes;
  }

  /** Where string {@code k} starts in {@link #bytes()}. */
  public int start(int k) {
    return k == 0 ? 0 : ends[k - 1];
  }

  /** Where string {@code k} ends in {@link #bytes()}. */
  public int end(int k) {
    return ends[k];
  }

  /** The length in bytes of string {@code k}. */
  public int length(int k) {
    return ends[k] - start(k);
  }

  /** The total length of every string. */
  public long totalLength() {
    return length;
  }

  /** The number of string {@code src[off .. off+len)}, adding it if it is new. */
  public int intern(byte[] src, int off, int len) {
    return intern(src, off, len, Integer.MAX_VALUE);
  }

  /**
   * The number of string {@code src[off .. off+len)}, adding it if it is new and fewer than
   * {@code max} strings are kept; -1 if it is new and {@code max} are.
   */
  public int intern(byte[] src, int off, int len, int max) {
    int h = hash(src, off, len);
    int slot = h & mask;
    while (true) {
      long e = slots[slot];
      if (e == 0) {
        break;
      }
      if ((int) (e >>> 32) == h) {
        int k = (int) e - 1;
        int from = start(k);
        if (ends[k] - from == len && Arrays.equals(bytes, from, from + len, src, off, off + len)) {
          return k;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (count >= max) {
      return -1;
    }
    if (count == ends.length) {
      ends = Arrays.copyOf(ends, count * 2);
    }
    if (length + len > bytes.length) {
      long want = Math.max((long) bytes.length * 2, (long) length + len);
      bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, want));
    }
    System.arraycopy(src, off, bytes, length, len);
    length += len;
    int k = count++;
    ends[k] = length;
    slots[slot] = ((long) h << 32) | (k + 1L);
    if (count * 2 > slots.length) {
      rehash();
    }
    return k;
  }

  private void rehash() {
    int capacity = slots.length * 2;
    long[] fresh = new long[capacity];
    int m = capacity - 1;
    for (long e : slots) {
      if (e != 0) {
        int slot = (int) (e >>> 32) & m;
        while (fresh[slot] != 0) {
          slot = (slot + 1) & m;
        }
        fresh[slot] = e;
      }
    }
    slots = fresh;
    mask = m;
  }

  private int hash(byte[] b, int off, int len) {
    long h = seed ^ (len * 0x9E3779B97F4A7C15L);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = Long.rotateLeft((h ^ (long) LONGS.get(b, i)) * 0xC2B2AE3D27D4EB4FL, 29);
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (b[i] & 0xffL) << shift;
    }
    h = (h ^ tail) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    return (int) (h ^ (h >>> 29));
  }
}
