package io.kascompute.core.presence;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry knows about one node, as of its last heartbeat.
 *
 * @param firstSeen the first heartbeat the registry kept
 * @param onlineSince the first heartbeat of the current online streak (no gap longer than the TTL)
 * @param lastSeen the latest heartbeat
 * @param publicKey the key registered by the node's first heartbeat; proofs must use it
 */
public record NodeInfo(
    NodeId nodeId,
    Instant firstSeen,
    Instant onlineSince,
    Instant lastSeen,
    List<String> roles,
    String clientVersion,
    Optional<JsonValue> computeProfile,
    PublicKeyBytes publicKey,
    Optional<GeoLocation> geo) {

  /** Copies the roles and checks that nothing is null. */
  public NodeInfo {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(onlineSince, "onlineSince");
    Objects.requireNonNull(lastSeen, "lastSeen");
    roles = List.copyOf(roles);
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(computeProfile, "computeProfile");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(geo, "geo");
  }

  /** Whether the node declared the {@code miner} role. */
  public boolean isMiner() {
    return roles.contains("miner");
  }

  /** The length of the current online streak: from {@link #onlineSince} to {@link #lastSeen}. */
  public Duration uptime() {
    return Duration.between(onlineSince, lastSeen);
  }
}
