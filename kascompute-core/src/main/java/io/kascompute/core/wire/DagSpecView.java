package io.kascompute.core.wire;

import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import java.util.List;
import java.util.Objects;

/**
 * A page of a DAG's immutable spec, for drawing the graph ({@code GET /v1/dags/{dag_id}/spec}):
 * {@code {name, nodes:[{task_id, work_units, task_type, params}], edges:[{from, to}]}} with the
 * tasks of the page in task-id (code-point) order and the edges leaving them.
 */
public record DagSpecView(String name, List<Task> nodes, List<Edge> edges) implements WireResponse {

  /** Copies the lists and checks that nothing is null. */
  public DagSpecView {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** Reads the {@code data} of an ok envelope. */
  public static DagSpecView fromJson(JsonObject o) {
    return new DagSpecView(Fields.string(o, "name"),
        WireJson.objects(Fields.array(o, "nodes"), "nodes", Task::fromJson),
        WireJson.objects(Fields.array(o, "edges"), "edges", Edge::fromJson));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(64 + nodes.size() * 96 + edges.size() * 48);
    w.raw('{').key("name").string(name).raw(",\"nodes\":[");
    for (int i = 0; i < nodes.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      nodes.get(i).writeTo(w);
    }
    w.raw("],\"edges\":[");
    for (int i = 0; i < edges.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      Edge e = edges.get(i);
      w.raw('{').key("from").string(e.from().value()).raw(',').key("to").string(e.to().value())
          .raw('}');
    }
    return w.raw("]}").toByteArray();
  }

  /**
   * One task of the spec.
   *
   * @param taskType the task type as submitted (the empty string when none was sent)
   * @param params the task's parameters, JSON {@code null} when none were sent
   */
  public record Task(TaskId taskId, long workUnits, String taskType, JsonValue params) {
    /** Checks that nothing is null. */
    public Task {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(taskType, "taskType");
      Objects.requireNonNull(params, "params");
    }

    static Task fromJson(JsonObject o) {
      return new Task(Fields.taskId(o, "task_id"), Fields.u64(o, "work_units"),
          Fields.optionalString(o, "task_type").orElse(""),
          o.members().getOrDefault("params", io.kascompute.core.json.JsonNull.INSTANCE));
    }

    void writeTo(JsonWriter w) {
      w.raw('{').key("task_id").string(taskId.value());
      w.raw(',').key("work_units").unsigned(workUnits);
      w.raw(',').key("task_type").string(taskType);
      byte[] p = CanonicalJson.write(params);
      w.raw(',').key("params").raw(p, 0, p.length).raw('}');
    }
  }

  /** One dependency: {@code to} depends on {@code from}. */
  public record Edge(TaskId from, TaskId to) {
    /** Checks that nothing is null. */
    public Edge {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    static Edge fromJson(JsonObject o) {
      return new Edge(Fields.taskId(o, "from"), Fields.taskId(o, "to"));
    }
  }
}
