package io.kascompute.dag.coordinator;

import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.wire.Fields;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The body of the SDK extension {@code POST /v1/runs/:run_id/tasks/:task_id/fail}: {@code
 * {node_id, lease_epoch?}}; unknown fields are ignored.
 */
public record FailRequest(NodeId nodeId, OptionalLong leaseEpoch) {
  /** Checks that nothing is null. */
  public FailRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /** Reads the body, ignoring unknown fields. */
  public static FailRequest fromJson(JsonObject body) {
    return new FailRequest(
        NodeId.of(Fields.string(body, "node_id")), Fields.optionalU64(body, "lease_epoch"));
  }
}
