package io.kascompute.dag.ledger;

/**
 * What the record holds for one time window, for the metrics every coordinator of a store reports
 * alike.
 *
 * @param jobs accepted job proofs
 * @param jobLeaseMillis the sum of the jobs' grant-to-acceptance times in milliseconds
 * @param tasks accepted task proofs
 * @param workUnits work units of all of them, unsigned and saturating at 2^64-1
 * @param verified how many of them verified (all of them unless a {@code V1_COMPAT} coordinator
 *     accepted some unverified)
 */
public record ProofWindow(long jobs, long jobLeaseMillis, long tasks, long workUnits, long verified) {

  /** An empty window. */
  public static final ProofWindow EMPTY = new ProofWindow(0, 0, 0, 0, 0);

  /** Job and task proofs together. */
  public long proofs() {
    return jobs + tasks;
  }

  /** V1's {@code avg_job_ms}: the integer mean grant-to-acceptance time of the jobs, or 0. */
  public long averageJobMillis() {
    return jobs == 0 ? 0 : jobLeaseMillis / jobs;
  }
}
