package io.kascompute.crypto.ledger;

import io.kascompute.core.Sha256Digest;

/**
 * Receives the perfect subtrees that appending one leaf completes (see {@link
 * CompactRange#append(Sha256Digest, SubtreeSink)}): the leaf itself at level 0, then each larger
 * subtree the leaf closes, in increasing level.
 */
@FunctionalInterface
public interface SubtreeSink {
  /** Takes the hash of the completed subtree at {@code level} and {@code index}. */
  void completed(int level, long index, Sha256Digest hash);
}
