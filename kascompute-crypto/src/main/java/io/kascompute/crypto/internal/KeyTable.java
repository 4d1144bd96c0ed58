package io.kascompute.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decoded public keys by their 32 raw bytes, for one thread: an open-addressing table of a fixed
 * power-of-two capacity that overwrites a slot when a short probe finds no room, so it never
 * grows. Looking a key up allocates nothing. Not thread-safe.
 */
public final class KeyTable {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int PROBES = 8;

  private final long[] words;
  private final Ed25519Ops.DecodedKey[] keys;
  private final int mask;

  /** A table of at least {@code capacity} slots (0 keeps nothing). */
  public KeyTable(int capacity) {
    int slots = capacity == 0 ? 0 : Integer.highestOneBit(Math.max(capacity, PROBES) - 1) << 1;
    this.words = new long[slots * 4];
    this.keys = new Ed25519Ops.DecodedKey[slots];
    this.mask = slots - 1;
  }

  /**
   * The decoded key of the 32 bytes at {@code off} of {@code raw}, decoded (and validated) now
   * if it is not in the table.
   *
   * @throws io.kascompute.core.KasComputeException {@code invalid_public_key} as {@link
   *     Ed25519Ops#decode} refuses it
   */
  public Ed25519Ops.DecodedKey get(byte[] raw, int off) {
    if (keys.length == 0) {
      return Ed25519Ops.decode(raw, off);
    }
    long a = (long) LONGS.get(raw, off);
    long b = (long) LONGS.get(raw, off + 8);
    long c = (long) LONGS.get(raw, off + 16);
    long d = (long) LONGS.get(raw, off + 24);
    int home = (int) ((a ^ a >>> 29) * 0x9e3779b97f4a7c15L >>> 32) & mask;
    for (int k = 0; k < PROBES; k++) {
      int slot = home + k & mask;
      Ed25519Ops.DecodedKey key = keys[slot];
      if (key == null) {
        return put(slot, a, b, c, d, raw, off);
      }
      int w = slot * 4;
      if (words[w] == a && words[w + 1] == b && words[w + 2] == c && words[w + 3] == d) {
        return key;
      }
    }
    return put(home, a, b, c, d, raw, off);
  }

  private Ed25519Ops.DecodedKey put(
      int slot, long a, long b, long c, long d, byte[] raw, int off) {
    Ed25519Ops.DecodedKey key = Ed25519Ops.decode(raw, off);
    int w = slot * 4;
    words[w] = a;
    words[w + 1] = b;
    words[w + 2] = c;
    words[w + 3] = d;
    keys[slot] = key;
    return key;
  }
}
