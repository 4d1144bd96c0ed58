package io.kascompute.dag.lease;

import io.kascompute.core.NodeId;
import io.kascompute.core.TaskId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One task of a run as the read views show it.
 *
 * @param owner the node of the latest grant, while the task is running
 * @param leaseExpires the current lease's expiry, while the task is running
 * @param leaseEpoch grants so far: the current epoch and the attempt count
 */
public record TaskLeaseState(
    TaskId taskId, LeaseState state, Optional<NodeId> owner, Optional<Instant> leaseExpires,
    long leaseEpoch) {
  /** Checks that nothing is null. */
  public TaskLeaseState {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseExpires, "leaseExpires");
  }
}
