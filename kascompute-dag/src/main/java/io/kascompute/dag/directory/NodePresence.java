package io.kascompute.dag.directory;

import io.kascompute.core.json.JsonValue;
import io.kascompute.core.presence.GeoLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one heartbeat says about a node's presence, already admitted (bounded) by the coordinator.
 *
 * @param roles the roles the heartbeat declared ({@code node}, {@code miner}, …)
 * @param computeProfile the profile as sent, if any
 * @param geo the location the geo hook found; empty keeps the last known one
 */
public record NodePresence(
    List<String> roles,
    Optional<JsonValue> computeProfile,
    String clientVersion,
    Optional<GeoLocation> geo) {

  /** Copies the roles and checks that nothing is null. */
  public NodePresence {
    roles = List.copyOf(roles);
    Objects.requireNonNull(computeProfile, "computeProfile");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(geo, "geo");
  }

  /** Whether the heartbeat declared the {@code node} role. */
  public boolean asNode() {
    return roles.contains("node");
  }

  /** Whether the heartbeat declared the {@code miner} role. */
  public boolean asMiner() {
    return roles.contains("miner");
  }
}
