package io.kascompute.dag.ledger;

import io.kascompute.core.Sha256Digest;
import java.util.List;

/**
 * The verifiable log of accepted proofs (an SPI): an RFC 9162 Merkle tree whose entry {@code i}
 * is the leaf of the verified proof with ledger index {@code i} ({@link
 * RecordedProof#ledgerIndex()}) or of a key rotation ({@link
 * io.kascompute.dag.directory.NodeDirectory#rotate}), in acceptance order ({@code
 * docs/spec/ledger.md}). The store appends to it in the same atomic step that records the proof
 * or applies the rotation, so the log has no gaps and, with several coordinators on one store, is
 * one log with one sequence.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #size()} equals the number of verified proofs ever recorded plus the key
 *       rotations ever applied; it only grows.
 *   <li>The tree hashes of every entry are kept (64 bytes per entry); proofs and roots read
 *       O(log n) of them.
 *   <li>Leaf bytes follow the record's retention: a read of a leaf no longer kept is refused
 *       with {@code entry_forgotten}.
 *   <li>Sizes and indexes beyond the log are refused with {@code field_out_of_range}; a store
 *       failure throws {@code store_unavailable}.
 * </ul>
 */
public interface LedgerLog {
  /** The most leaves one {@link #leaves} call returns. */
  int MAX_LEAVES_PER_READ = 1000;

  /** The number of entries in the log. */
  long size();

  /**
   * The root of the tree of the first {@code size} entries.
   *
   * @throws io.kascompute.core.KasComputeException {@code field_out_of_range} unless {@code 0 <=
   *     size <=} {@link #size()}
   */
  Sha256Digest root(long size);

  /**
   * The leaf bytes (RFC 8785 entry objects, {@code docs/spec/ledger.md} section 1) of entries
   * {@code start} to {@code end - 1}, in order; each array is a fresh copy.
   *
   * @throws io.kascompute.core.KasComputeException {@code field_out_of_range} unless {@code 0 <=
   *     start < end <=} {@link #size()} and {@code end - start <=} {@value #MAX_LEAVES_PER_READ};
   *     {@code entry_forgotten} if a leaf in the range is no longer kept
   */
  List<byte[]> leaves(long start, long end);

  /**
   * The RFC 9162 inclusion proof {@code PATH(index, D[size])}.
   *
   * @throws io.kascompute.core.KasComputeException {@code field_out_of_range} unless {@code 0 <=
   *     index < size <=} {@link #size()}
   */
  List<Sha256Digest> inclusionProof(long index, long size);

  /**
   * The RFC 9162 consistency proof {@code PROOF(first, D[second])}.
   *
   * @throws io.kascompute.core.KasComputeException {@code field_out_of_range} unless {@code 0 <=
   *     first <= second <=} {@link #size()}
   */
  List<Sha256Digest> consistencyProof(long first, long second);
}
