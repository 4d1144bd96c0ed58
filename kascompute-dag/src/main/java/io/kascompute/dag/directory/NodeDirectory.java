package io.kascompute.dag.directory;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a coordinator keeps node identity and presence (an SPI): the key each node id has pinned
 * by proving possession, what its heartbeats said, and the history of key rotations. Shared by
 * every coordinator of a store and durable with it.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Pins.</b> A node id has at most one pinned key. It is pinned by {@link #heartbeat} with
 *       {@code pin = true} (the caller verified the heartbeat's signature, or its policy trusts
 *       the first unsigned heartbeat) or by {@link #pinClaimedKey} after the first verified
 *       proof. A pinned key changes only through {@link #rotate}, which also records the change
 *       in the set's ledger; every other call that names a
 *       different key for a pinned id is refused with {@code KEY_MISMATCH} and changes nothing.
 *       Pins are never evicted to make room.
 *   <li><b>Claims.</b> An unsigned heartbeat of an id without a pin records the key it carries as
 *       the id's claimed key (the latest claim wins); a claim proves nothing until a proof
 *       verifies against it.
 *   <li><b>Presence</b> is per role: the latest heartbeat time as {@code node} and as {@code
 *       miner}, the roles, profile, client version and location of the latest heartbeat.
 *   <li><b>Bounds.</b> Pinned ids and unpinned ids have separate limits. A heartbeat that would
 *       add an id beyond its limit is refused with {@code DIRECTORY_FULL} and changes nothing;
 *       nobody is dropped to make room. Unpinned ids not seen for the implementation's retention
 *       period may be forgotten.
 *   <li>Every method is atomic, also across coordinators sharing the store; a store failure
 *       throws {@code STORE_UNAVAILABLE} and applies nothing.
 * </ul>
 */
public interface NodeDirectory {

  /**
   * Records a heartbeat whose signature, if any, the caller has checked.
   *
   * @param key the key the heartbeat carries
   * @param pin whether the heartbeat proves (or the policy accepts) possession of {@code key}
   * @param evidence how possession was shown, when {@code pin}
   * @return the node's record after the heartbeat
   * @throws io.kascompute.core.KasComputeException {@code KEY_MISMATCH} if the id has pinned
   *     another key; {@code DIRECTORY_FULL} if a new id does not fit
   */
  NodeRecord heartbeat(
      NodeId node, PublicKeyBytes key, boolean pin, KeyEvidence evidence, NodePresence presence,
      Instant now);

  /**
   * Pins the key an unpinned node claims, after a proof verified against it; a no-op if that key
   * is already pinned.
   *
   * @throws io.kascompute.core.KasComputeException {@code UNKNOWN_NODE} if the id is not known,
   *     {@code KEY_MISMATCH} if it pinned or now claims another key
   */
  NodeRecord pinClaimedKey(NodeId node, PublicKeyBytes key, Instant now);

  /**
   * Replaces a node's pinned key, records the rotation and appends its key-rotation entry to the
   * store set's ledger ({@link io.kascompute.dag.ledger.ProofLedger#log()}; {@code
   * docs/spec/ledger.md} section 1.3), all in one atomic step, if the pinned key is still {@code
   * rotation.oldKey()}. The entry takes the log's next index, in the one sequence it shares with
   * the verified proofs of every coordinator of the set.
   *
   * @throws io.kascompute.core.KasComputeException {@code UNKNOWN_NODE} if the id has no pinned
   *     key, {@code KEY_MISMATCH} if its pinned key is not the rotation's old key, {@code
   *     DIRECTORY_FULL} if the node's rotation history is full, {@code STORE_FULL} if the ledger
   *     is; nothing is applied then
   */
  NodeRecord rotate(KeyRotation rotation);

  /** What the directory knows about a node id. */
  Optional<NodeRecord> node(NodeId node);

  /**
   * The key a node id has pinned, empty if it has none (unknown, or only claiming a key): the
   * lookup a coordinator makes for every proof and grant. An implementation may answer it from a
   * cache of pinned keys, provided that a change of the key an id resolves to is seen within a
   * bound it documents; the default asks {@link #node}.
   */
  default Optional<PublicKeyBytes> pinnedKey(NodeId node) {
    return node(node).flatMap(NodeRecord::pinnedKey);
  }

  /** Up to {@code limit} nodes in code-point order of their ids, after {@code after}. */
  List<NodeRecord> nodes(Optional<NodeId> after, int limit);

  /** A node's recorded rotations, oldest first. */
  List<KeyRotation> rotations(NodeId node);

  /** Presence figures at {@code now}. */
  PresenceCounts counts(Instant now, Duration activity, Duration onlineTtl);
}
