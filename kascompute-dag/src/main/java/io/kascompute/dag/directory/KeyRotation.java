package io.kascompute.dag.directory;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A recorded change of a node's pinned key. Applying one also appends its key-rotation entry to
 * the store set's ledger ({@link NodeDirectory#rotate}), so that an auditor sees every key a node
 * id ever had.
 *
 * @param by {@link KeyEvidence#NODE_ROTATION} or {@link KeyEvidence#OPERATOR}
 * @param signature for a node rotation: the old key's Ed25519 signature, lowercase hex, over
 *     {@link io.kascompute.crypto.ledger.KeyRotationEntry#message(NodeId,
 *     io.kascompute.crypto.NodePublicKey, io.kascompute.crypto.NodePublicKey, long)}
 * @param ts the node's timestamp (the rotating heartbeat's {@code timestamp_unix}), or the
 *     operator call's time in Unix seconds
 * @param at when the directory applied it
 * @param coordinator the id of the coordinator that applied it (empty for a rotation recorded
 *     before schema version 4 of the PostgreSQL stores, which did not keep it)
 */
public record KeyRotation(
    NodeId nodeId,
    PublicKeyBytes oldKey,
    PublicKeyBytes newKey,
    KeyEvidence by,
    Optional<String> signature,
    long ts,
    Instant at,
    String coordinator) {

  /** Checks that nothing is null and that a node rotation carries its signature. */
  public KeyRotation {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(oldKey, "oldKey");
    Objects.requireNonNull(newKey, "newKey");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(coordinator, "coordinator");
    if (by != KeyEvidence.NODE_ROTATION && by != KeyEvidence.OPERATOR) {
      throw new IllegalArgumentException("a rotation is made by the node or by an operator: " + by);
    }
    if ((by == KeyEvidence.NODE_ROTATION) != signature.isPresent()) {
      throw new IllegalArgumentException("a node rotation, and only it, carries the old key's signature");
    }
  }
}
