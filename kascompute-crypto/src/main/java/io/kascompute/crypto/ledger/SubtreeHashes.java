package io.kascompute.crypto.ledger;

import io.kascompute.core.Sha256Digest;

/**
 * Read access to the hashes of the perfect subtrees of a log (see {@link Subtree}): what a store
 * implements so that {@link MerkleTree} can build roots and proofs with O(log n) reads.
 *
 * <p>A store that persists every hash {@link CompactRange#append(Sha256Digest, SubtreeSink)}
 * reports (leaf hashes at level 0 and each completed subtree above, about 2n hashes for n leaves)
 * can answer every read that a root or proof for any size up to its own makes. {@link
 * MerkleTree#inclusionReads} and {@link MerkleTree#consistencyReads} list those reads in
 * advance, so that a database can fetch them in one query.
 */
@FunctionalInterface
public interface SubtreeHashes {
  /**
   * The hash of the perfect subtree at {@code level} and {@code index}.
   *
   * @throws io.kascompute.core.KasComputeException if the store does not hold that subtree (for
   *     example because the log is not yet that long)
   */
  Sha256Digest hash(int level, long index);
}
