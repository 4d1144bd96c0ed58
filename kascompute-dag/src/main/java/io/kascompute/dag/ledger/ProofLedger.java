package io.kascompute.dag.ledger;

import io.kascompute.core.Sha256Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The record of every accepted proof (an SPI): read side. A store set appends to it in the same
 * atomic step that completes a job ({@link io.kascompute.dag.jobs.JobStore#complete}) or a task
 * ({@link io.kascompute.dag.lease.LeaseStore#complete}), so that a proof is credited exactly once,
 * whichever coordinator of the store sees it again, and a completion is never without its record.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Proofs get consecutive {@code seq} numbers from 0 in the order they were accepted; a proof
 *       is never changed or reordered once recorded.
 *   <li>Verified proofs also get ledger indexes ({@link RecordedProof#ledgerIndex()}): their
 *       positions in the {@link #log()}, increasing in {@code seq} order; the log's other
 *       entries are the key rotations of the set's directory ({@link
 *       io.kascompute.dag.directory.NodeDirectory#rotate}), so the indexes of proofs need not be
 *       consecutive.
 *   <li>{@link #find} answers by the proof's identity ({@link AcceptedProof#proofHash()}).
 *   <li>Retention is a policy of the implementation (the in-memory record keeps a bounded number
 *       of the newest proofs; see its factory); proofs beyond it are forgotten from the views but
 *       their jobs and tasks stay completed.
 *   <li>A store failure throws {@code STORE_UNAVAILABLE}.
 * </ul>
 */
public interface ProofLedger {

  /** The recorded proof with this identity, if it is still retained. */
  Optional<RecordedProof> find(Sha256Digest proofHash);

  /** Up to {@code limit} retained proofs, newest first, with {@code seq} below {@code before}. */
  List<RecordedProof> recent(OptionalLong before, int limit);

  /**
   * The totals of the proofs accepted in the whole seconds after {@code from}'s and up to {@code
   * to}'s (a window of {@code to - from} seconds that includes the current second).
   */
  ProofWindow window(Instant from, Instant to);

  /** The number of proofs ever recorded (the next {@code seq}). */
  long size();

  /**
   * The verifiable log over the verified proofs of this record and the set's key rotations:
   * entry {@code i} is the proof with ledger index {@code i} or a rotation, appended in the same
   * atomic step that records it.
   */
  LedgerLog log();
}
