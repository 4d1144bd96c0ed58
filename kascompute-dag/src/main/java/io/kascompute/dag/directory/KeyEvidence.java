package io.kascompute.dag.directory;

/** How a node's key came to be pinned. */
public enum KeyEvidence {
  /** A heartbeat signed with the key (the launcher's {@code hb|} scheme or the SDK's payload). */
  SIGNED_HEARTBEAT,
  /** The first proof that verified against the key the node's heartbeats claimed. */
  VERIFIED_PROOF,
  /** An unsigned heartbeat, trusted on first use; only a {@code V1_COMPAT} coordinator pins so. */
  UNSIGNED_HEARTBEAT,
  /** A rotation: a heartbeat with the new key, signed by it, carrying the old key's consent. */
  NODE_ROTATION,
  /** An operator's call on the directory. */
  OPERATOR
}
