package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/** The answer to {@code POST /v1/dags/:dag_id/runs}: {@code {run_id}}. */
public record RunCreated(String runId) implements WireResponse {
  /** Checks that the id is not null. */
  public RunCreated {
    Objects.requireNonNull(runId, "runId");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("run_id").string(runId).raw('}');
  }
}
