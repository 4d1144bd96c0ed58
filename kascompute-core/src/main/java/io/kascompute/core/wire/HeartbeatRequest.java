package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.CanonicalJson;
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
 * compute_profile?, client_version?, workload_mode?, latitude?, longitude?, country?,
 * timestamp_unix?, signature_hex?}} plus the SDK's {@code rotation_signature_hex?}.
 *
 * <p>{@code timestamp_unix} may be sent as {@code ts} and {@code signature_hex} as {@code
 * signature} (not both). Missing {@code roles} mean {@value #DEFAULT_ROLE_NAME} only, a missing
 * {@code client_version} {@value JobProofPayload#DEFAULT_CLIENT_VERSION}. {@code compute_profile}
 * is kept as whatever JSON value was sent (the launcher sends a string). Unknown fields are
 * ignored. The public node launcher sends {@code {node_id, public_key_hex, compute_profile,
 * workload_mode, timestamp_unix, signature_hex}}.
 *
 * @param rotationSignatureHex an SDK extension: Ed25519 by the node's currently pinned key over
 *     {@code kc-rotate|<node_id>|<pinned key hex>|<public_key_hex>|<timestamp_unix>}, asking the
 *     coordinator to pin the heartbeat's (new) key instead
 */
public record HeartbeatRequest(
    NodeId nodeId,
    String publicKeyHex,
    Optional<List<String>> roles,
    Optional<JsonValue> computeProfile,
    Optional<String> clientVersion,
    Optional<String> workloadMode,
    OptionalDouble latitude,
    OptionalDouble longitude,
    Optional<String> country,
    OptionalLong timestampUnix,
    Optional<String> signatureHex,
    Optional<String> rotationSignatureHex) implements WireRequest {

  /** The role a node that sends none has. */
  public static final String DEFAULT_ROLE_NAME = "node";

  /** The roles of a node that sends none. */
  public static final List<String> DEFAULT_ROLES = List.of(DEFAULT_ROLE_NAME);

  /** Copies the roles and checks that nothing is null. */
  public HeartbeatRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    roles = Objects.requireNonNull(roles, "roles").map(List::copyOf);
    Objects.requireNonNull(computeProfile, "computeProfile");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(workloadMode, "workloadMode");
    Objects.requireNonNull(latitude, "latitude");
    Objects.requireNonNull(longitude, "longitude");
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(timestampUnix, "timestampUnix");
    Objects.requireNonNull(signatureHex, "signatureHex");
    Objects.requireNonNull(rotationSignatureHex, "rotationSignatureHex");
  }

  /** An unsigned heartbeat with the given roles and nothing else optional. */
  public static HeartbeatRequest of(NodeId nodeId, String publicKeyHex, List<String> roles) {
    return new HeartbeatRequest(nodeId, publicKeyHex, Optional.of(roles), Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        Optional.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Reads the body, ignoring unknown fields.
   *
   * @throws KasComputeException {@code missing_field}, {@code wrong_type}, {@code
   *     field_out_of_range} or {@code duplicate_field}
   */
  public static HeartbeatRequest fromJson(JsonObject body) {
    return new HeartbeatRequest(
        Fields.nodeId(body, "node_id"),
        Fields.string(body, "public_key_hex"),
        Fields.optionalStrings(body, "roles"),
        Fields.get(body, "compute_profile"),
        Fields.optionalString(body, "client_version"),
        Fields.optionalString(body, "workload_mode"),
        Fields.optionalDouble(body, "latitude"),
        Fields.optionalDouble(body, "longitude"),
        Fields.optionalString(body, "country"),
        Fields.optionalU64(body, "timestamp_unix", "ts"),
        Fields.optionalString(body, "signature_hex", "signature"),
        Fields.optionalString(body, "rotation_signature_hex"));
  }

  /** The roles sent, or {@link #DEFAULT_ROLES}. */
  public List<String> effectiveRoles() {
    return roles.orElse(DEFAULT_ROLES);
  }

  /** The client version sent, or {@value JobProofPayload#DEFAULT_CLIENT_VERSION}. */
  public String effectiveClientVersion() {
    return clientVersion.orElse(JobProofPayload.DEFAULT_CLIENT_VERSION);
  }

  /** Whether the node declares the {@code miner} role. */
  public boolean isMiner() {
    return effectiveRoles().contains("miner");
  }

  /**
   * The SDK heartbeat payload (digest scheme) the signature may cover.
   *
   * @throws KasComputeException {@code missing_field} without {@code timestamp_unix}, which a
   *     signed heartbeat must carry
   */
  public HeartbeatPayload payload() {
    return new HeartbeatPayload(
        nodeId, publicKeyHex, effectiveRoles(), effectiveClientVersion(), requireTimestamp());
  }

  /**
   * The launcher-scheme message the signature may cover: {@code
   * hb|node_id|compute_profile|timestamp_unix}, with the empty string for a profile that is not a
   * JSON string.
   *
   * @throws KasComputeException {@code missing_field} without {@code timestamp_unix}
   */
  public LauncherHeartbeat launcherMessage() {
    String profile = computeProfile.filter(JsonString.class::isInstance)
        .map(v -> ((JsonString) v).value()).orElse("");
    return new LauncherHeartbeat(nodeId, profile, requireTimestamp());
  }

  private long requireTimestamp() {
    if (timestampUnix.isEmpty()) {
      throw new KasComputeException(
          ErrorCode.MISSING_FIELD, "field timestamp_unix is required in a signed heartbeat");
    }
    return timestampUnix.getAsLong();
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("node_id").string(nodeId.value());
    w.raw(',').key("public_key_hex").string(publicKeyHex);
    if (roles.isPresent()) {
      w.raw(',').key("roles").raw('[');
      List<String> r = roles.get();
      for (int i = 0; i < r.size(); i++) {
        if (i > 0) {
          w.raw(',');
        }
        w.string(r.get(i));
      }
      w.raw(']');
    }
    if (computeProfile.isPresent()) {
      byte[] profile = CanonicalJson.write(computeProfile.get());
      w.raw(',').key("compute_profile").raw(profile, 0, profile.length);
    }
    WireJson.optionalString(w, "client_version", clientVersion);
    WireJson.optionalString(w, "workload_mode", workloadMode);
    WireJson.optionalDouble(w, "latitude", latitude);
    WireJson.optionalDouble(w, "longitude", longitude);
    WireJson.optionalString(w, "country", country);
    WireJson.optionalU64(w, "timestamp_unix", timestampUnix);
    WireJson.optionalString(w, "signature_hex", signatureHex);
    WireJson.optionalString(w, "rotation_signature_hex", rotationSignatureHex);
    return w.raw('}').toByteArray();
  }
}
