package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/runs/:run_id/tasks/:task_id/renew}: {@code {node_id}} plus the SDK
 * extension {@code lease_epoch} (optional; when sent it must be the lease's current epoch).
 */
public record RenewRequest(NodeId nodeId, OptionalLong leaseEpoch) {
  /** Checks that nothing is null. */
  public RenewRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /** Reads the body, ignoring unknown fields. */
  public static RenewRequest fromJson(JsonObject body) {
    return new RenewRequest(
        NodeId.of(Fields.string(body, "node_id")), Fields.optionalU64(body, "lease_epoch"));
  }
}
