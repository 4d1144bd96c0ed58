package io.kascompute.dag.lease;

import io.kascompute.core.DagId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import java.time.Instant;
import java.util.Objects;

/**
 * A task leased to a node.
 *
 * @param taskType the task type as the lease response carries it ({@code "sim"} when the spec
 *     left it empty)
 * @param workUnits unsigned 64-bit work units held in a {@code long}
 * @param leaseEpoch the fencing token of this grant; renew and complete must present it
 * @param attempt the number of this grant for the task, from 1
 */
public record TaskGrant(
    RunId runId,
    DagId dagId,
    TaskId taskId,
    Sha256Digest taskHash,
    long workUnits,
    String taskType,
    Instant leaseExpires,
    long leaseEpoch,
    int attempt) {
  /** Checks that nothing is null. */
  public TaskGrant {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskHash, "taskHash");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(leaseExpires, "leaseExpires");
  }
}
