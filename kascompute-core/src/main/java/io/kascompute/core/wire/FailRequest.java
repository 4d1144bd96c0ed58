package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.OptionalLong;

/** The body of the SDK's {@code POST /v1/runs/{run_id}/tasks/{task_id}/fail}: {@code {node_id, lease_epoch?}}. */
public record FailRequest(NodeId nodeId, OptionalLong leaseEpoch) implements WireRequest {
  /** Checks that nothing is null. */
  public FailRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /** Reads the body, ignoring unknown fields. */
  public static FailRequest fromJson(JsonObject body) {
    return new FailRequest(Fields.nodeId(body, "node_id"), Fields.optionalU64(body, "lease_epoch"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(96).raw('{').key("node_id").string(nodeId.value());
    WireJson.optionalU64(w, "lease_epoch", leaseEpoch);
    return w.raw('}').toByteArray();
  }
}
