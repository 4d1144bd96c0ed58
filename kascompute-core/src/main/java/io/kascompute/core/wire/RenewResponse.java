package io.kascompute.core.wire;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/** The answer to a renewal: {@code {run_id, task_id, lease_expires_unix, lease_epoch (SDK)}}. */
public record RenewResponse(RunId runId, TaskId taskId, long leaseExpiresUnix, long leaseEpoch)
    implements WireResponse {
  /** Checks that nothing is null. */
  public RenewResponse {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static RenewResponse fromJson(JsonObject data) {
    return new RenewResponse(Fields.runId(data, "run_id"), Fields.taskId(data, "task_id"),
        Fields.u64(data, "lease_expires_unix"), Fields.optionalU64(data, "lease_epoch").orElse(0));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(160);
    w.raw('{').key("run_id").string(runId.value());
    w.raw(',').key("task_id").string(taskId.value());
    w.raw(',').key("lease_expires_unix").unsigned(leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch).raw('}');
    return w.toByteArray();
  }
}
