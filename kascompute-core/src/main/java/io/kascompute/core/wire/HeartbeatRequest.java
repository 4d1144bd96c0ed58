package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/nodes/heartbeat}: {@code {node_id, public_key_hex, roles?,
 * compute_profile?, client_version?, latitude?, longitude?, country?, timestamp_unix?,
 * signature_hex?}}. Missing {@code roles} are {@code ["node"]}, a missing {@code client_version}
 * is {@code "unknown"}; {@code timestamp_unix} may be sent as {@code ts} and {@code signature_hex}
 * as {@code signature}; {@code compute_profile} is kept as whatever JSON value was sent. Unknown
 * fields are ignored.
 */
public record HeartbeatRequest(
    NodeId nodeId,
    String publicKeyHex,
    List<String> roles,
    Optional<JsonValue> computeProfile,
    String clientVersion,
    OptionalDouble latitude,
    OptionalDouble longitude,
    Optional<String> country,
    OptionalLong timestampUnix,
    Optional<String> signatureHex) {

  /** The roles of a node that sends none. */
  public static final List<String> DEFAULT_ROLES = List.of("node");

  /** Copies the roles and checks that nothing is null. */
  public HeartbeatRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    roles = List.copyOf(roles);
    Objects.requireNonNull(computeProfile, "computeProfile");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(latitude, "latitude");
    Objects.requireNonNull(longitude, "longitude");
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(timestampUnix, "timestampUnix");
    Objects.requireNonNull(signatureHex, "signatureHex");
  }

  /** Reads the body, ignoring unknown fields. */
  public static HeartbeatRequest fromJson(JsonObject body) {
    return new HeartbeatRequest(
        NodeId.of(Fields.string(body, "node_id")),
        Fields.string(body, "public_key_hex"),
        Fields.optionalStrings(body, "roles").orElse(DEFAULT_ROLES),
        Fields.get(body, "compute_profile"),
        Fields.optionalString(body, "client_version")
            .orElse(JobProofPayload.DEFAULT_CLIENT_VERSION),
        Fields.optionalDouble(body, "latitude"),
        Fields.optionalDouble(body, "longitude"),
        Fields.optionalString(body, "country"),
        Fields.optionalU64(body, "timestamp_unix", "ts"),
        Fields.optionalString(body, "signature_hex", "signature"));
  }

  /**
   * The launcher-scheme message the heartbeat's signature may cover: {@code
   * hb|node_id|compute_profile|timestamp_unix}, with the empty string for a profile that is not a
   * JSON string.
   *
   * @throws KasComputeException {@code missing_field} without {@code timestamp_unix}
   */
  public LauncherHeartbeat launcherMessage() {
    if (timestampUnix.isEmpty()) {
      throw new KasComputeException(
          ErrorCode.MISSING_FIELD, "field timestamp_unix is required in a signed heartbeat");
    }
    String profile = computeProfile.filter(JsonString.class::isInstance)
        .map(v -> ((JsonString) v).value()).orElse("");
    return new LauncherHeartbeat(nodeId, profile, timestampUnix.getAsLong());
  }

  /** Whether the node declares the {@code miner} role. */
  public boolean isMiner() {
    return roles.contains("miner");
  }

  /**
   * The payload the heartbeat's signature covers.
   *
   * @throws KasComputeException {@code missing_field} if the heartbeat has no {@code
   *     timestamp_unix}, which a signed heartbeat must carry
   */
  public HeartbeatPayload payload() {
    if (timestampUnix.isEmpty()) {
      throw new KasComputeException(
          ErrorCode.MISSING_FIELD, "field timestamp_unix is required in a signed heartbeat");
    }
    return new HeartbeatPayload(
        nodeId, publicKeyHex, roles, clientVersion, timestampUnix.getAsLong());
  }
}
