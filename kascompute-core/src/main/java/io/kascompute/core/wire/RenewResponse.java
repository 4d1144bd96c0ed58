package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/** The answer to a renewal: {@code {run_id, task_id, lease_expires_unix, lease_epoch}}. */
public record RenewResponse(String runId, String taskId, long leaseExpiresUnix, long leaseEpoch)
    implements WireResponse {
  /** Checks that nothing is null. */
  public RenewResponse {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("run_id").string(runId);
    w.raw(',').key("task_id").string(taskId);
    w.raw(',').key("lease_expires_unix").unsigned(leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch).raw('}');
  }
}
