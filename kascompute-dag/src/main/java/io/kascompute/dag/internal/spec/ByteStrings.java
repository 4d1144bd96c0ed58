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
 * <p>The table is open addressing with linear probing. A slot holds three longs: a tag (24 bits of
 * the hash, the length up to 255, and the string's number plus one; 0 for an empty slot) and the
 * string's first sixteen bytes, so that looking up a short id, the common case, touches one slot
 * and never the strings themselves. The hash is seeded per instance, so that no input can be
 * prepared to make lookups collide.
 */
public final class ByteStrings {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long TAG = 0xFFFFFFFF00000000L;

  private final long seed = ThreadLocalRandom.current().nextLong() | 1;
  private byte[] bytes;
  private int length;
  private int[] ends;
  private int count;
  private long[] slots;
  private int mask;

  /** An empty set with room for about {@code expected} strings. */
  public ByteStrings(int expected) {
    int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1);
    bytes = new byte[Math.max(64, expected * 8)];
    ends = new int[Math.max(8, expected)];
    slots = new long[3 * capacity];
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

  /** The number of string {@code src[off .. off+len)}, adding it if it is new. */
  public int intern(byte[] src, int off, int len) {
    return intern(src, off, len, Integer.MAX_VALUE);
  }

  /**
   * The number of string {@code src[off .. off+len)}, adding it if it is new and fewer than
   * {@code max} strings are kept; -1 if it is new and {@code max} are.
   */
  public int intern(byte[] src, int off, int len, int max) {
    int end = off + len;
    long w0 = word(src, off, end);
    long w1 = word(src, off + 8, end);
    int hash = hash(src, off, len, w0, w1);
    long tag = tag(hash, len);
    long[] t = slots;
    int slot = hash & mask;
    while (true) {
      long meta = t[3 * slot];
      if (meta == 0) {
        break;
      }
      if ((meta & TAG) == tag && t[3 * slot + 1] == w0 && t[3 * slot + 2] == w1) {
        int k = (int) meta - 1;
        if (len <= 16) {
          return k;
        }
        int from = start(k);
        if (ends[k] - from == len
            && Arrays.equals(bytes, from + 16, from + len, src, off + 16, end)) {
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
    t[3 * slot] = tag | (k + 1L);
    t[3 * slot + 1] = w0;
    t[3 * slot + 2] = w1;
    if (count * 4L > (mask + 1L) * 3) {
      rehash();
    }
    return k;
  }

  private static long tag(int hash, int len) {
    return ((long) (hash & 0xFFFFFF) << 8 | Math.min(len, 255)) << 32;
  }

  private void rehash() {
    int capacity = (mask + 1) * 2;
    long[] fresh = new long[3 * capacity];
    int m = capacity - 1;
    for (int k = 0; k < count; k++) {
      int from = start(k);
      int len = ends[k] - from;
      long w0 = word(bytes, from, from + len);
      long w1 = word(bytes, from + 8, from + len);
      int hash = hash(bytes, from, len, w0, w1);
      int slot = hash & m;
      while (fresh[3 * slot] != 0) {
        slot = (slot + 1) & m;
      }
      fresh[3 * slot] = tag(hash, len) | (k + 1L);
      fresh[3 * slot + 1] = w0;
      fresh[3 * slot + 2] = w1;
    }
    slots = fresh;
    mask = m;
  }

  /** The eight bytes from {@code i}, little-endian, zero past {@code end}. */
  private static long word(byte[] b, int i, int end) {
    if (i + 8 <= end) {
      return (long) LONGS.get(b, i);
    }
    long w = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      w |= (b[i] & 0xffL) << shift;
    }
    return w;
  }

  /** A seeded hash of the string whose first two words are {@code w0} and {@code w1}. */
  private int hash(byte[] b, int off, int len, long w0, long w1) {
    long h = seed ^ (len * 0x9E3779B97F4A7C15L);
    h = Long.rotateLeft((h ^ w0) * 0xC2B2AE3D27D4EB4FL, 29);
    h = Long.rotateLeft((h ^ w1) * 0xC2B2AE3D27D4EB4FL, 29);
    int end = off + len;
    for (int i = off + 16; i < end; i += 8) {
      h = Long.rotateLeft((h ^ word(b, i, end)) * 0xC2B2AE3D27D4EB4FL, 29);
    }
    h *= 0x9E3779B97F4A7C15L;
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    return (int) (h ^ (h >>> 29));
  }
}
