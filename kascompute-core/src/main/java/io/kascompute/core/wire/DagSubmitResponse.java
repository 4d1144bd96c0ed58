package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/** The answer to {@code POST /v1/dags/submit}: {@code {dag_id, dag_root_hash, tasks_total}}. */
public record DagSubmitResponse(String dagId, String dagRootHash, long tasksTotal)
    implements WireResponse {
  /** Checks that nothing is null. */
  public DagSubmitResponse {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(dagRootHash, "dagRootHash");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("dag_id").string(dagId);
    w.raw(',').key("dag_root_hash").string(dagRootHash);
    w.raw(',').key("tasks_total").unsigned(tasksTotal).raw('}');
  }
}
