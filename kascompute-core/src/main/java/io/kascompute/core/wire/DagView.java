package io.kascompute.core.wire;

import io.kascompute.core.DagId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/**
 * One DAG in {@code GET /v1/dags} and {@code GET /v1/dags/{dag_id}}: {@code {dag_id,
 * dag_root_hash, name, tasks_total, edges_total}}.
 */
public record DagView(
    DagId dagId,
    Sha256Digest dagRootHash,
    String name,
    long tasksTotal,
    long edgesTotal)
    implements WireResponse {

  /** Checks that nothing is null. */
  public DagView {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(dagRootHash, "dagRootHash");
    Objects.requireNonNull(name, "name");
  }

  /** Reads one DAG object. */
  public static DagView fromJson(JsonObject o) {
    return new DagView(Fields.dagId(o, "dag_id"), Fields.sha256(o, "dag_root_hash"),
        Fields.string(o, "name"), Fields.u64(o, "tasks_total"), Fields.u64(o, "edges_total"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("dag_id").string(dagId.value());
    w.raw(',').key("dag_root_hash").string(dagRootHash.hex());
    w.raw(',').key("name").string(name);
    w.raw(',').key("tasks_total").unsigned(tasksTotal);
    w.raw(',').key("edges_total").unsigned(edgesTotal);
    return w.raw('}').toByteArray();
  }
}
