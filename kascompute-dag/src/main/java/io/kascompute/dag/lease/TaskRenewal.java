package io.kascompute.dag.lease;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import java.time.Instant;
import java.util.Objects;

/** A renewed lease and its new expiry. */
public record TaskRenewal(RunId runId, TaskId taskId, Instant leaseExpires, long leaseEpoch) {
  /** Checks that nothing is null. */
  public TaskRenewal {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leaseExpires, "leaseExpires");
  }
}
