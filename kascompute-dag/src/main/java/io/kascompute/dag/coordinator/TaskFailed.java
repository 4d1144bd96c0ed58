package io.kascompute.dag.coordinator;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.wire.WireResponse;
import java.util.Objects;

/**
 * The answer to a failure report: {@code {run_id, task_id, failed, attempts}}; {@code failed} is
 * true when the task used up its attempts and will never run again, false when it was requeued.
 */
public record TaskFailed(String runId, String taskId, boolean failed, int attempts)
    implements WireResponse {
  /** Checks that nothing is null. */
  public TaskFailed {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("run_id").string(runId);
    w.raw(',').key("task_id").string(taskId);
    w.raw(',').key("failed").raw(failed ? "true" : "false");
    w.raw(',').key("attempts").unsigned(attempts).raw('}');
  }
}
