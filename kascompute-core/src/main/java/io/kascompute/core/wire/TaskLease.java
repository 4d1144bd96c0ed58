package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/**
 * A leased DAG task: {@code {run_id, dag_id, task_id, task_hash, work_units, task_type,
 * lease_expires_unix, lease_epoch}}; {@code lease_epoch} is an SDK extension that V1 clients
 * ignore and that renew and proof requests may echo.
 */
public record TaskLease(
    String runId,
    String dagId,
    String taskId,
    String taskHash,
    long workUnits,
    String taskType,
    long leaseExpiresUnix,
    long leaseEpoch)
    implements WireResponse {
  /** Checks that nothing is null. */
  public TaskLease {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskHash, "taskHash");
    Objects.requireNonNull(taskType, "taskType");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("run_id").string(runId);
    w.raw(',').key("dag_id").string(dagId);
    w.raw(',').key("task_id").string(taskId);
    w.raw(',').key("task_hash").string(taskHash);
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("task_type").string(taskType);
    w.raw(',').key("lease_expires_unix").unsigned(leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch).raw('}');
  }
}
