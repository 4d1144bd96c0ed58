package io.kascompute.dag.jobs;

import io.kascompute.core.NodeId;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Where a coordinator keeps plain jobs ({@code /v1/jobs/*}) and their leases (an SPI), shared by
 * every coordinator of a store and durable with it.
 *
 * <h2>Contract</h2>
 *
 * Jobs follow the lease rules of DAG tasks ({@link io.kascompute.dag.lease.LeaseStore}):
 *
 * <ul>
 *   <li>{@link #add} and {@link #topUp} create {@code PENDING} jobs with ids unique across the
 *       store, granted in id order.
 *   <li>{@link #next} first reclaims every lease whose expiry is at or before {@code now}: the
 *       job goes back to {@code PENDING}, ahead of jobs never granted, in order of expiry (ties by
 *       id), or becomes {@code EXPIRED} once it used {@link LeasePolicy#maxAttempts()} grants. It
 *       then grants the oldest reclaimed job, else the oldest new one: owner the node, epoch + 1,
 *       expiry {@code now + leaseDuration}.
 *   <li>{@link #complete} accepts a verified proof from the node holding the current epoch (an
 *       epoch, when given, must be the current one; without one the node must be the last owner)
 *       while the job is running, or reclaimed and not granted since; the job becomes {@code
 *       COMPLETED} and the proof is recorded in the store's {@link
 *       io.kascompute.dag.ledger.ProofLedger} in the same atomic step. Completing a completed job
 *       with the same proof (same {@link AcceptedProof#proofHash()}) returns the first record,
 *       marked as a repeat; with another proof it is refused with {@code ALREADY_COMPLETED}.
 *   <li>Refusals, in this order: {@code UNKNOWN_JOB}, {@code TASK_NOT_RUNNING} (never granted),
 *       {@code STALE_LEASE}, {@code NOT_OWNER}, {@code ALREADY_COMPLETED}, {@code
 *       TASK_NOT_RUNNING} (pending or expired), {@code REPLAYED_PROOF} (the proof's identity is
 *       already recorded for another job or task). A refusal changes nothing; a store failure throws
 *       {@code STORE_UNAVAILABLE} and applies nothing.
 *   <li>Retention: finished jobs beyond the implementation's retention bound are forgotten,
 *       oldest first; a forgotten job answers {@code UNKNOWN_JOB}.
 * </ul>
 */
public interface JobStore {

  /** Adds a pending job and returns its id. */
  long add(long workUnits, Instant now);

  /**
   * Adds jobs, with work units from {@code workUnits}, until at least {@code minPending} are
   * pending; atomic across coordinators, so that two of them never overfill the pool.
   *
   * @return how many jobs were added
   */
  int topUp(int minPending, LongSupplier workUnits, Instant now);

  /** Grants a job to {@code node} after reclaiming expired leases, or returns empty. */
  Optional<JobGrant> next(NodeId node, Instant now, LeasePolicy policy);

  /**
   * Completes a job with an already verified proof, recording it.
   *
   * @param epoch the lease epoch the node holds, if it sent one
   */
  JobCompletion complete(long jobId, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now);

  /** The job, if the store still holds it. */
  Optional<JobRecord> job(long jobId);

  /** Up to {@code limit} jobs in id order (unsigned), after {@code after}. */
  List<JobRecord> jobs(OptionalLong after, int limit);

  /** Up to {@code limit} jobs, the most recently changed first. */
  List<JobRecord> recent(int limit);

  /** The store's counts per state. */
  JobCounts counts();
}
