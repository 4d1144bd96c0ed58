package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/** The answer to {@code POST /v1/runs/{run_id}/next}: {@code {task: {...} | null}}. */
public record TaskNextResponse(Optional<TaskLease> task) implements WireResponse {
  /** Checks that the option is not null. */
  public TaskNextResponse {
    Objects.requireNonNull(task, "task");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static TaskNextResponse fromJson(JsonObject data) {
    if (!data.members().containsKey("task")) {
      throw Fields.missing("task");
    }
    return new TaskNextResponse(Fields.get(data, "task")
        .map(v -> TaskLease.fromJson(Fields.object(v, "field task"))));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256).raw('{').key("task");
    WireJson.optionalObject(w, task);
    return w.raw('}').toByteArray();
  }
}
