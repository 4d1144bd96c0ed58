package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/** The body of {@code POST /v1/jobs/next} and {@code POST /v1/runs/{run_id}/next}: {@code {node_id}}. */
public record NodeRequest(NodeId nodeId) implements WireRequest {
  /** Checks that the id is not null. */
  public NodeRequest {
    Objects.requireNonNull(nodeId, "nodeId");
  }

  /** Reads the body, ignoring unknown fields. */
  public static NodeRequest fromJson(JsonObject body) {
    return new NodeRequest(Fields.nodeId(body, "node_id"));
  }

  @Override
  public byte[] toJson() {
    return new JsonWriter(64).raw('{').key("node_id").string(nodeId.value()).raw('}').toByteArray();
  }
}
