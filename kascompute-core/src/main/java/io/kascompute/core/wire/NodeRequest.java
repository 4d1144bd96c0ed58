package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/** The body {@code {node_id}} of {@code POST /v1/jobs/next} and {@code POST /v1/runs/:run_id/next}. */
public record NodeRequest(NodeId nodeId) {
  /** Checks that the id is not null. */
  public NodeRequest {
    Objects.requireNonNull(nodeId, "nodeId");
  }

  /** Reads the body, ignoring unknown fields. */
  public static NodeRequest fromJson(JsonObject body) {
    return new NodeRequest(NodeId.of(Fields.string(body, "node_id")));
  }
}
