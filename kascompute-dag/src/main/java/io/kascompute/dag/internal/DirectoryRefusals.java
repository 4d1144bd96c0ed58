package io.kascompute.dag.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;

/**
 * The refusals every node directory gives, worded once: they name the node and the pinned key's
 * hex prefix, never more of a key.
 */
public final class DirectoryRefusals {
  private DirectoryRefusals() {}

  /** {@code KEY_MISMATCH}: the id pinned another key. */
  public static KasComputeException pinnedToAnother(NodeId node, PublicKeyBytes pinnedKey) {
    return new KasComputeException(ErrorCode.KEY_MISMATCH, "node " + node
        + " has pinned key " + prefix(pinnedKey) + "…; its key changes only by an explicit rotation");
  }

  /** {@code KEY_MISMATCH}: the id claims another key than the one a proof verified against. */
  public static KasComputeException claimsAnother(NodeId node, PublicKeyBytes claimed,
      PublicKeyBytes key) {
    return new KasComputeException(ErrorCode.KEY_MISMATCH, "node " + node + " claims key "
        + prefix(claimed) + "…, not " + prefix(key) + "…");
  }

  /** {@code UNKNOWN_NODE} for a pin of an id never seen. */
  public static KasComputeException neverSeen(NodeId node) {
    return new KasComputeException(ErrorCode.UNKNOWN_NODE, "node " + node + " never sent a heartbeat");
  }

  /** {@code UNKNOWN_NODE} for a rotation of an id without a pin. */
  public static KasComputeException nothingToRotate(NodeId node) {
    return new KasComputeException(ErrorCode.UNKNOWN_NODE, "node " + node + " has no pinned key to rotate");
  }

  /** {@code DIRECTORY_FULL}: a bound is reached. */
  public static KasComputeException full(String what, long max) {
    return new KasComputeException(ErrorCode.DIRECTORY_FULL,
        "the node directory holds its maximum of " + max + " " + what + "; retry later");
  }

  /** The first 16 hex digits of a key, as refusals show it. */
  public static String prefix(PublicKeyBytes key) {
    return key.hex().substring(0, 16);
  }
}
