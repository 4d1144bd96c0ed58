package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every perfect subtree hash of a log, in memory: the {@link SubtreeSink} to hand {@link
 * CompactRange#append(Sha256Digest, SubtreeSink)} and the {@link SubtreeHashes} that proofs read.
 *
 * <p>Memory: 32 bytes per leaf at level 0 plus 32 per completed subtree above, so about 64 bytes
 * per entry (2n hashes), kept in 128 KiB blocks; nothing else per entry. Nothing bounds it but the
 * caller, who decides how long a log to keep in memory. Not thread-safe: the caller's lock guards
 * appends and reads alike.
 */
public final class InMemorySubtreeHashes implements SubtreeHashes, SubtreeSink {
  private static final int BLOCK_SHIFT = 12;
  private static final int BLOCK_HASHES = 1 << BLOCK_SHIFT;

  // levels.get(l) holds the hashes of level l in blocks of BLOCK_HASHES hashes
  private final List<List<byte[]>> levels = new ArrayList<>();
  private long[] counts = new long[8];

  private InMemorySubtreeHashes() {}

  /** An empty store. */
  public static InMemorySubtreeHashes create() {
    return new InMemorySubtreeHashes();
  }

  /** The number of leaves held: the count of level-0 hashes. */
  public long leaves() {
    return levels.isEmpty() ? 0 : counts[0];
  }

  /**
   * Stores a completed subtree; subtrees of a level must arrive in index order, as {@link
   * CompactRange} reports them.
   *
   * @throws IllegalArgumentException if {@code index} is not the next index of {@code level}
   */
  @Override
  public void completed(int level, long index, Sha256Digest hash) {
    put(level, index, hash.toByteArray());
  }

  /** Stores 32 hash bytes, copied, as {@link #completed} does. */
  void put(int level, long index, byte[] hash) {
    while (levels.size() <= level) {
      levels.add(new ArrayList<>());
    }
    if (counts.length <= level) {
      counts = Arrays.copyOf(counts, Math.max(level + 1, counts.length * 2));
    }
    if (index != counts[level]) {
      throw new IllegalArgumentException("level " + level + " expects index " + counts[level]
          + " next, got " + index);
    }
    List<byte[]> blocks = levels.get(level);
    int offset = (int) (index & (BLOCK_HASHES - 1)) * Hashing.HASH;
    if (offset == 0) {
      blocks.add(new byte[BLOCK_HASHES * Hashing.HASH]);
    }
    byte[] block = blocks.get(blocks.size() - 1);
    System.arraycopy(hash, 0, block, offset, Hashing.HASH);
    counts[level]++;
  }

  /**
   * The hash of a stored subtree.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} if the log is not long
   *     enough to have completed that subtree
   */
  @Override
  public Sha256Digest hash(int level, long index) {
    if (level < 0 || level >= levels.size() || index < 0 || index >= counts[level]) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "the log of " + leaves()
          + " leaves has no completed subtree at level " + level + ", index " + index);
    }
    byte[] block = levels.get(level).get((int) (index >>> BLOCK_SHIFT));
    int offset = (int) (index & (BLOCK_HASHES - 1)) * Hashing.HASH;
    return Sha256Digest.of(Arrays.copyOfRange(block, offset, offset + Hashing.HASH));
  }
}
