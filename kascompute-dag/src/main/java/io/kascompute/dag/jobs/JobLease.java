package io.kascompute.dag.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * A job leased to a node.
 *
 * @param jobId unsigned 64-bit job id
 * @param workUnits unsigned 64-bit work units
 * @param leaseEpoch the fencing token of this grant, from 1; renew and complete may present it
 * @param attempt the number of this grant for the job, from 1
 */
public record JobLease(long jobId, long workUnits, Instant leaseExpires, long leaseEpoch, int attempt) {
  /** Checks that nothing is null. */
  public JobLease {
    Objects.requireNonNull(leaseExpires, "leaseExpires");
  }
}
