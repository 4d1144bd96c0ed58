package io.kascompute.dag.jobs;

import io.kascompute.core.NodeId;
import java.time.Instant;
import java.util.Objects;

/**
 * A plain job leased to a node.
 *
 * @param jobId unsigned 64-bit job id, unique across the coordinators of a store
 * @param workUnits unsigned 64-bit work units
 * @param leaseEpoch the fencing token of this grant, from 1; it is also the attempt number
 */
public record JobGrant(long jobId, long workUnits, NodeId node, Instant granted, Instant leaseExpires,
    long leaseEpoch) {
  /** Checks that nothing is null. */
  public JobGrant {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(granted, "granted");
    Objects.requireNonNull(leaseExpires, "leaseExpires");
  }
}
