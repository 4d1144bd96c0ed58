package io.kascompute.core.wire;

import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A ComputeDAG specification as submitted to {@code POST /v1/dags/submit}: tasks and explicit
 * dependencies. An edge {@code from -> to} means {@code to} depends on {@code from}.
 *
 * <p>This record holds the spec as received; validation (unique ids, known edge ends, no cycles,
 * limits) happens when {@code kascompute-dag} compiles it.
 *
 * <p>{@link #fromJson(JsonObject)} reads the spec object strictly: {@code name} (string), {@code
 * nodes} (array) and {@code edges} (array) are required; each node needs {@code task_id} (string)
 * and {@code work_units} (unsigned 64-bit integer) and may carry {@code task_type} (string; absent
 * or {@code null} reads as the empty string) and {@code params} (any JSON value; absent reads as
 * JSON {@code null}); each edge needs {@code from} and {@code to} (strings). Unknown fields are
 * ignored. Errors are {@code missing_field}, {@code wrong_type} and {@code field_out_of_range} with
 * the path of the offending field, such as {@code nodes[3].work_units}.
 */
public record DagSpec(String name, List<Node> nodes, List<Edge> edges) {

  /** Copies the lists and checks that nothing is null. */
  public DagSpec {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** Reads a bare spec object {@code {name, nodes, edges}}. */
  public static DagSpec fromJson(JsonObject spec) {
    String name = Fields.string(spec, "name");
    JsonArray nodeArray = array(spec, "nodes");
    JsonArray edgeArray = array(spec, "edges");
    List<JsonValue> nodeValues = nodeArray.elements();
    List<Node> nodes = new ArrayList<>(nodeValues.size());
    for (int i = 0; i < nodeValues.size(); i++) {
      String path = "nodes[" + i + "]";
      JsonObject n = Fields.object(nodeValues.get(i), path);
      String taskId = Fields.asString(path + ".task_id", required(n, "task_id", path));
      long workUnits = Fields.asU64(path + ".work_units", required(n, "work_units", path));
      String taskType =
          Fields.get(n, "task_type").map(v -> Fields.asString(path + ".task_type", v)).orElse("");
      JsonValue params = n.members().getOrDefault("params", JsonNull.INSTANCE);
      nodes.add(new Node(taskId, workUnits, taskType, params));
    }
    List<JsonValue> edgeValues = edgeArray.elements();
    List<Edge> edges = new ArrayList<>(edgeValues.size());
    for (int i = 0; i < edgeValues.size(); i++) {
      String path = "edges[" + i + "]";
      JsonObject e = Fields.object(edgeValues.get(i), path);
      String from = Fields.asString(path + ".from", required(e, "from", path));
      String to = Fields.asString(path + ".to", required(e, "to", path));
      edges.add(new Edge(from, to));
    }
    return new DagSpec(name, nodes, edges);
  }

  /**
   * Reads the body of {@code POST /v1/dags/submit}, {@code {"spec":{...}}}; other members of the
   * body are ignored.
   */
  public static DagSpec fromSubmitBody(JsonObject body) {
    JsonValue spec = Fields.get(body, "spec").orElseThrow(() -> Fields.missing("spec"));
    return fromJson(Fields.object(spec, "field spec"));
  }

  private static JsonValue required(JsonObject o, String key, String path) {
    return Fields.get(o, key).orElseThrow(() -> Fields.missing(path + "." + key));
  }

  private static JsonArray array(JsonObject o, String key) {
    Optional<JsonValue> v = Fields.get(o, key);
    if (v.isEmpty()) {
      throw Fields.missing(key);
    }
    if (v.get() instanceof JsonArray a) {
      return a;
    }
    throw Fields.wrongType(key, "an array", v.get());
  }

  /**
   * One task of the spec.
   *
   * @param taskId the task id as sent
   * @param workUnits unsigned 64-bit work units held in a {@code long}
   * @param taskType the task type as sent; the empty string when absent
   * @param params the task parameters; {@link io.kascompute.core.json.JsonNull} when absent
   */
  public record Node(
      String taskId, long workUnits, String taskType, JsonValue params) {
    /** Checks that nothing is null. */
    public Node {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(taskType, "taskType");
      Objects.requireNonNull(params, "params");
    }
  }

  /** One dependency: {@code to} depends on {@code from}. */
  public record Edge(String from, String to) {
    /** Checks that nothing is null. */
    public Edge {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }
}
