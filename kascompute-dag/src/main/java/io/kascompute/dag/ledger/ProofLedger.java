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
 *   <li>Verified proofs also get consecutive ledger indexes from 0 ({@link
 *       RecordedProof#ledgerIndex()}): their positions in the {@link #log()}.
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
   * The verifiable log over the verified proofs of this record: entry {@code i} is the proof
   * with ledger index {@code i}, appended in the same atomic step that records it.
   */
  LedgerLog log();
}
