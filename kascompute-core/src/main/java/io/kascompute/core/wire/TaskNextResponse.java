package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;
import java.util.Optional;

/** The answer to {@code POST /v1/runs/:run_id/next}: {@code {task: {...} | null}}. */
public record TaskNextResponse(Optional<TaskLease> task) implements WireResponse {
  /** Checks that the option is not null. */
  public TaskNextResponse {
    Objects.requireNonNull(task, "task");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("task");
    if (task.isPresent()) {
      task.get().writeTo(w);
    } else {
      w.raw("null");
    }
    w.raw('}');
  }
}
