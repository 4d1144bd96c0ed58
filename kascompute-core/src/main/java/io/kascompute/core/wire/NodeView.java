package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One node in {@code GET /v1/nodes}: what its heartbeats said, plus V1's {@code is_online},
 * {@code seconds_since_seen} and the role-specific {@code is_node_online}, {@code
 * is_miner_online}, {@code seconds_since_node_seen}, {@code seconds_since_miner_seen} ({@code null}
 * for a role never seen), and the SDK's {@code key_pinned} and {@code first_seen_unix}.
 *
 * @param publicKeyHex the pinned key, or the key the node's unsigned heartbeats claim
 */
public record NodeView(
    NodeId nodeId,
    String publicKeyHex,
    boolean keyPinned,
    List<String> roles,
    Optional<JsonValue> computeProfile,
    Optional<String> clientVersion,
    OptionalDouble latitude,
    OptionalDouble longitude,
    Optional<String> country,
    long firstSeenUnix,
    long lastSeenUnix,
    boolean isOnline,
    long secondsSinceSeen,
    boolean isNodeOnline,
    boolean isMinerOnline,
    OptionalLong secondsSinceNodeSeen,
    OptionalLong secondsSinceMinerSeen)
    implements WireResponse {

  /** Copies the roles and checks that nothing is null. */
  public NodeView {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    roles = List.copyOf(roles);
    Objects.requireNonNull(computeProfile, "computeProfile");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(latitude, "latitude");
    Objects.requireNonNull(longitude, "longitude");
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(secondsSinceNodeSeen, "secondsSinceNodeSeen");
    Objects.requireNonNull(secondsSinceMinerSeen, "secondsSinceMinerSeen");
  }

  /** Reads one element of the {@code data} array. */
  public static NodeView fromJson(JsonObject o) {
    return new NodeView(Fields.nodeId(o, "node_id"), Fields.string(o, "public_key_hex"),
        Fields.optionalBoolean(o, "key_pinned").orElse(false), Fields.strings(o, "roles"),
        Fields.get(o, "compute_profile"), Fields.optionalString(o, "client_version"),
        Fields.optionalDouble(o, "latitude"), Fields.optionalDouble(o, "longitude"),
        Fields.optionalString(o, "country"), Fields.optionalU64(o, "first_seen_unix").orElse(0),
        Fields.u64(o, "last_seen_unix"), Fields.bool(o, "is_online"),
        Fields.u64(o, "seconds_since_seen"), Fields.bool(o, "is_node_online"),
        Fields.bool(o, "is_miner_online"), Fields.optionalU64(o, "seconds_since_node_seen"),
        Fields.optionalU64(o, "seconds_since_miner_seen"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(512);
    w.raw('{').key("node_id").string(nodeId.value());
    w.raw(',').key("public_key_hex").string(publicKeyHex);
    WireJson.bool(w, "key_pinned", keyPinned);
    w.raw(',').key("roles");
    WireJson.strings(w, roles);
    w.raw(',').key("compute_profile");
    if (computeProfile.isPresent()) {
      byte[] p = CanonicalJson.write(computeProfile.get());
      w.raw(p, 0, p.length);
    } else {
      w.raw("null");
    }
    WireJson.stringOrNull(w, "client_version", clientVersion);
    w.raw(',').key("latitude").raw(latitude.isPresent()
        ? CanonicalJson.formatNumber(latitude.getAsDouble()) : "null");
    w.raw(',').key("longitude").raw(longitude.isPresent()
        ? CanonicalJson.formatNumber(longitude.getAsDouble()) : "null");
    WireJson.stringOrNull(w, "country", country);
    w.raw(',').key("first_seen_unix").unsigned(firstSeenUnix);
    w.raw(',').key("last_seen_unix").unsigned(lastSeenUnix);
    WireJson.bool(w, "is_online", isOnline);
    w.raw(',').key("seconds_since_seen").unsigned(secondsSinceSeen);
    WireJson.bool(w, "is_node_online", isNodeOnline);
    WireJson.bool(w, "is_miner_online", isMinerOnline);
    WireJson.u64OrNull(w, "seconds_since_node_seen", secondsSinceNodeSeen);
    WireJson.u64OrNull(w, "seconds_since_miner_seen", secondsSinceMinerSeen);
    return w.raw('}').toByteArray();
  }
}
