package io.kascompute.core.wire;

import io.kascompute.core.DagId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/** The answer to {@code POST /v1/dags/submit}: {@code {dag_id, dag_root_hash, tasks_total}}. */
public record DagSubmitResponse(DagId dagId, Sha256Digest dagRootHash, long tasksTotal)
    implements WireResponse {
  /** Checks that nothing is null. */
  public DagSubmitResponse {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(dagRootHash, "dagRootHash");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static DagSubmitResponse fromJson(JsonObject data) {
    return new DagSubmitResponse(Fields.dagId(data, "dag_id"), Fields.sha256(data, "dag_root_hash"),
        Fields.u64(data, "tasks_total"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(192);
    w.raw('{').key("dag_id").string(dagId.value());
    w.raw(',').key("dag_root_hash").string(dagRootHash.hex());
    w.raw(',').key("tasks_total").unsigned(tasksTotal).raw('}');
    return w.toByteArray();
  }
}
