package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;

/**
 * A perfect subtree of the ledger's Merkle tree: the {@code 2^level} leaves from {@code index *
 * 2^level} to {@code (index + 1) * 2^level - 1}. Level 0 is a single leaf (its leaf hash); the
 * hash of a subtree at level {@code l > 0} is the node hash of its two halves at level {@code l -
 * 1}.
 *
 * @param level the height, 0 to 62
 * @param index the position among the subtrees of that level, from 0
 */
public record Subtree(int level, long index) {
  /** The highest level a subtree of a tree with at most 2^63-1 leaves can have. */
  public static final int MAX_LEVEL = 62;

  /**
   * Checks the level and index.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for a level outside 0..62, a
   *     negative index, or a subtree that ends beyond leaf 2^63-2
   */
  public Subtree {
    if (level < 0 || level > MAX_LEVEL || index < 0 || index > (Long.MAX_VALUE >> level) - 1) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "no perfect subtree at level " + level + ", index " + index);
    }
  }

  /** The index of the first leaf the subtree covers. */
  public long firstLeaf() {
    return index << level;
  }

  /** The number of leaves the subtree covers, {@code 2^level}. */
  public long leafCount() {
    return 1L << level;
  }
}
