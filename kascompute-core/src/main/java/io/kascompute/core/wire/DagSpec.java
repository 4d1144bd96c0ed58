package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
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
 * <p>This record holds the spec as received; validation (task ids, known edge ends, no cycles,
 * limits) happens when {@code kascompute-dag} compiles it.
 *
 * <p>{@link #fromJson(JsonObject)} reads the spec object as deployed V1 coordinators do, strictly
 * typed: {@code name} (string), {@code nodes} (array) and {@code edges} (array) are required; each
 * node needs {@code task_id} (string) and {@code work_units} (an integer literal in {@code 0 ..
 * 2^64-1}; {@code -0} is refused, as V1 reads it as a float) and may carry {@code task_type}
 * (string; absent or {@code null} reads as the empty string) and {@code params} (any JSON value;
 * absent reads as JSON {@code null}); each edge is an object with {@code from} and {@code to}
 * (strings) or an array of exactly two strings {@code [from, to]}. Unknown fields are ignored.
 * Errors are {@code missing_field}, {@code wrong_type} and {@code field_out_of_range} with the path
 * of the offending field, such as {@code nodes[3].work_units}; they are checked in this order:
 * {@code name}, {@code nodes}, {@code edges}, then each node in order ({@code task_id}, {@code
 * work_units}, {@code task_type}), then each edge in order ({@code from}, {@code to}).
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
      long workUnits = workUnits(path + ".work_units", required(n, "work_units", path));
      String taskType =
          Fields.get(n, "task_type").map(v -> Fields.asString(path + ".task_type", v)).orElse("");
      JsonValue params = n.members().getOrDefault("params", JsonNull.INSTANCE);
      nodes.add(new Node(taskId, workUnits, taskType, params));
    }
    List<JsonValue> edgeValues = edgeArray.elements();
    List<Edge> edges = new ArrayList<>(edgeValues.size());
    for (int i = 0; i < edgeValues.size(); i++) {
      edges.add(edge(edgeValues.get(i), "edges[" + i + "]"));
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

  private static long workUnits(String path, JsonValue v) {
    if (v instanceof JsonNumber n && n.text().equals("-0")) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, path + " must not be negative, got -0");
    }
    return Fields.asU64(path, v);
  }

  private static Edge edge(JsonValue v, String path) {
    if (v instanceof JsonArray a) {
      List<JsonValue> ends = a.elements();
      if (ends.size() != 2) {
        throw new KasComputeException(ErrorCode.WRONG_TYPE,
            "field " + path + " must be an array of two task ids, got " + ends.size() + " elements");
      }
      return new Edge(Fields.asString(path + "[0]", ends.get(0)),
          Fields.asString(path + "[1]", ends.get(1)));
    }
    if (!(v instanceof JsonObject e)) {
      throw Fields.wrongType(path, "an object {from, to} or an array [from, to]", v);
    }
    String from = Fields.asString(path + ".from", required(e, "from", path));
    String to = Fields.asString(path + ".to", required(e, "to", path));
    return new Edge(from, to);
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
