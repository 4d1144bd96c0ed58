package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import java.util.List;
import java.util.Objects;

/**
 * The payload a node signs in a heartbeat (an SDK extension of V1).
 *
 * <p>Canonical bytes: compact JSON in schema order {@code node_id, public_key_hex, roles,
 * client_version, timestamp_unix}; {@code roles} is an array of strings in the order sent.
 */
public record HeartbeatPayload(
    NodeId nodeId, String publicKeyHex, List<String> roles, String clientVersion, long timestampUnix) {

  /** Copies the roles and checks that no component is null. */
  public HeartbeatPayload {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    roles = List.copyOf(roles);
    Objects.requireNonNull(clientVersion, "clientVersion");
  }

  /** The exact bytes that are hashed and signed. */
  public byte[] canonicalBytes() {
    JsonWriter w = new JsonWriter(192);
    w.raw('{').key("node_id").string(nodeId.value());
    w.raw(',').key("public_key_hex").string(publicKeyHex);
    w.raw(',').key("roles").raw('[');
    for (int i = 0; i < roles.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.string(roles.get(i));
    }
    w.raw(']');
    w.raw(',').key("client_version").string(clientVersion);
    w.raw(',').key("timestamp_unix").unsigned(timestampUnix).raw('}');
    return w.toByteArray();
  }

  /** SHA-256 of the canonical bytes. */
  public Sha256Digest digest() {
    return Sha256Digest.hash(canonicalBytes());
  }
}
