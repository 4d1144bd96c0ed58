package io.kascompute.core.wire;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/**
 * The answer to the SDK's fail endpoint: {@code {run_id, task_id, attempts_exhausted, attempts}}.
 *
 * @param attemptsExhausted true if the task used up its attempts and is now failed for good (its
 *     dependents never run); false if it went back to the tail of the ready queue
 */
public record TaskFailed(RunId runId, TaskId taskId, boolean attemptsExhausted, int attempts)
    implements WireResponse {
  /** Checks that nothing is null. */
  public TaskFailed {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static TaskFailed fromJson(JsonObject data) {
    return new TaskFailed(Fields.runId(data, "run_id"), Fields.taskId(data, "task_id"),
        Fields.bool(data, "attempts_exhausted"), Fields.count(data, "attempts"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(160);
    w.raw('{').key("run_id").string(runId.value());
    w.raw(',').key("task_id").string(taskId.value());
    WireJson.bool(w, "attempts_exhausted", attemptsExhausted);
    w.raw(',').key("attempts").unsigned(attempts).raw('}');
    return w.toByteArray();
  }
}
