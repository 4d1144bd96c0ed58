package io.kascompute.dag.jdbc;

import io.kascompute.core.DagId;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import java.io.IOException;

/**
 * The {@code kc_dag.definition} bytes: the DAG's spec as UTF-8 JSON {@code {name, nodes:[{task_id,
 * work_units, task_type, params}], edges:[{from, to}]}} in canonical order, with {@code task_type}
 * as sent (empty when absent) and {@code params} written exactly as received (member order and
 * number text kept), so that recompiling it reproduces the DAG and its hashes.
 */
final class DagDefinition {
  private static final DagLimits LIMITS =
      new DagLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, io.kascompute.core.TaskId.MAX_LENGTH);

  private DagDefinition() {}

  static byte[] encode(ComputeDag dag) {
    DagSpec spec = dag.toSpec();
    JsonWriter w = new JsonWriter(256 + spec.nodes().size() * 64);
    w.raw('{').key("name").string(spec.name()).raw(',').key("nodes").raw('[');
    boolean first = true;
    for (DagSpec.Node n : spec.nodes()) {
      w.raw(first ? "{" : ",{");
      first = false;
      w.key("task_id").string(n.taskId()).raw(',');
      w.key("work_units").unsigned(n.workUnits()).raw(',');
      w.key("task_type").string(n.taskType()).raw(',');
      w.key("params");
      JsonBytes.write(w, n.params());
      w.raw('}');
    }
    w.raw("],").key("edges").raw('[');
    first = true;
    for (DagSpec.Edge e : spec.edges()) {
      w.raw(first ? "{" : ",{");
      first = false;
      w.key("from").string(e.from()).raw(',').key("to").string(e.to()).raw('}');
    }
    w.raw("]}");
    return w.toByteArray();
  }

  /** Recompiles stored bytes; the result must have the id it was stored under. */
  static ComputeDag decode(DagId id, byte[] definition) throws IOException {
    ComputeDag dag;
    try {
      JsonValue json = JsonBytes.read(definition);
      if (!(json instanceof JsonObject spec)) {
        throw new IOException("the definition is not a JSON object");
      }
      dag = ComputeDag.compile(DagSpec.fromJson(spec), LIMITS);
    } catch (KasComputeException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!dag.id().equals(id)) {
      throw new IOException("the definition recompiles to another DAG id: " + dag.id().value());
    }
    return dag;
  }
}
