package io.kascompute.core.wire;

import java.util.List;
import java.util.Objects;

/**
 * A ComputeDAG specification as submitted to {@code POST /v1/dags/submit}: tasks and explicit
 * dependencies. An edge {@code from -> to} means {@code to} depends on {@code from}.
 *
 * <p>This record holds the spec as received; validation (unique ids, known edge ends, no cycles,
 * limits) happens when {@code kascompute-dag} compiles it.
 */
public record DagSpec(String name, List<Node> nodes, List<Edge> edges) {

  /** Copies the lists and checks that nothing is null. */
  public DagSpec {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
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
      String taskId, long workUnits, String taskType, io.kascompute.core.json.JsonValue params) {
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
