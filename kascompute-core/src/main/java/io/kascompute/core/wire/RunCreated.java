package io.kascompute.core.wire;

import io.kascompute.core.RunId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/** The answer to {@code POST /v1/dags/{dag_id}/runs}: {@code {run_id}}. */
public record RunCreated(RunId runId) implements WireResponse {
  /** Checks that the id is not null. */
  public RunCreated {
    Objects.requireNonNull(runId, "runId");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static RunCreated fromJson(JsonObject data) {
    return new RunCreated(Fields.runId(data, "run_id"));
  }

  @Override
  public byte[] toJson() {
    return new JsonWriter(96).raw('{').key("run_id").string(runId.value()).raw('}').toByteArray();
  }
}
