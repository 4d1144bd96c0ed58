package io.kascompute.dag.jobs;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.JobState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a job store knows about one job.
 *
 * @param owner the node of the latest grant, kept after expiry and completion
 * @param granted when the latest lease was granted
 * @param leaseExpires the latest lease's expiry
 * @param completed when its proof was accepted
 * @param proofHash the accepted proof's identity
 * @param leaseEpoch grants so far (the current epoch)
 * @param changed the latest change of state, for "recent" views
 */
public record JobRecord(
    long jobId,
    long workUnits,
    JobState state,
    Optional<NodeId> owner,
    Optional<Instant> granted,
    Optional<Instant> leaseExpires,
    Optional<Instant> completed,
    Optional<Sha256Digest> proofHash,
    long leaseEpoch,
    Instant created,
    Instant changed) {

  /** Checks that nothing is null. */
  public JobRecord {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(granted, "granted");
    Objects.requireNonNull(leaseExpires, "leaseExpires");
    Objects.requireNonNull(completed, "completed");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(changed, "changed");
  }
}
