package io.kascompute.core.wire;

import io.kascompute.core.DagId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/**
 * A DAG task leased to a node: {@code {run_id, dag_id, task_id, task_hash, work_units, task_type,
 * lease_expires_unix, lease_epoch (SDK)}}.
 */
public record TaskLease(
    RunId runId,
    DagId dagId,
    TaskId taskId,
    Sha256Digest taskHash,
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

  /** Reads a {@code task} object. */
  public static TaskLease fromJson(JsonObject o) {
    return new TaskLease(Fields.runId(o, "run_id"), Fields.dagId(o, "dag_id"),
        Fields.taskId(o, "task_id"), Fields.sha256(o, "task_hash"), Fields.u64(o, "work_units"),
        Fields.string(o, "task_type"), Fields.u64(o, "lease_expires_unix"),
        Fields.optionalU64(o, "lease_epoch").orElse(0));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("run_id").string(runId.value());
    w.raw(',').key("dag_id").string(dagId.value());
    w.raw(',').key("task_id").string(taskId.value());
    w.raw(',').key("task_hash").string(taskHash.hex());
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("task_type").string(taskType);
    w.raw(',').key("lease_expires_unix").unsigned(leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch).raw('}');
    return w.toByteArray();
  }
}
