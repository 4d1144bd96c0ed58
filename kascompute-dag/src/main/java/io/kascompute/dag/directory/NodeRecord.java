package io.kascompute.dag.directory;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.presence.GeoLocation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the directory knows about one node id.
 *
 * @param key the pinned key when {@code pinnedBy} is present, else the key its unsigned
 *     heartbeats claim (unproven)
 * @param pinnedBy how the key was pinned; empty while it is only claimed
 * @param pinnedAt when the current key was pinned
 * @param lastSeenAsNode the latest heartbeat with the {@code node} role
 * @param lastSeenAsMiner the latest heartbeat with the {@code miner} role
 * @param roles the roles of the latest heartbeat
 */
public record NodeRecord(
    NodeId nodeId,
    PublicKeyBytes key,
    Optional<KeyEvidence> pinnedBy,
    Optional<Instant> pinnedAt,
    Instant firstSeen,
    Instant lastSeen,
    Optional<Instant> lastSeenAsNode,
    Optional<Instant> lastSeenAsMiner,
    List<String> roles,
    Optional<JsonValue> computeProfile,
    String clientVersion,
    Optional<GeoLocation> geo) {

  /** Copies the roles and checks that nothing is null. */
  public NodeRecord {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pinnedBy, "pinnedBy");
    Objects.requireNonNull(pinnedAt, "pinnedAt");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(lastSeenAsNode, "lastSeenAsNode");
    Objects.requireNonNull(lastSeenAsMiner, "lastSeenAsMiner");
    roles = List.copyOf(roles);
    Objects.requireNonNull(computeProfile, "computeProfile");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(geo, "geo");
  }

  /** Whether the key is pinned (proven), not merely claimed. */
  public boolean pinned() {
    return pinnedBy.isPresent();
  }

  /** The pinned key, if pinned. */
  public Optional<PublicKeyBytes> pinnedKey() {
    return pinned() ? Optional.of(key) : Optional.empty();
  }
}
