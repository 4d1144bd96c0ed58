package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;

/**
 * The answer to a heartbeat: {@code {accepted:true, key_pinned}}; {@code key_pinned} (SDK) says
 * whether the coordinator now holds the heartbeat's key as the node's pinned key.
 */
public record HeartbeatResponse(boolean keyPinned) implements WireResponse {

  /** Reads the {@code data} of an ok envelope. */
  public static HeartbeatResponse fromJson(JsonObject data) {
    Fields.bool(data, "accepted");
    return new HeartbeatResponse(Fields.optionalBoolean(data, "key_pinned").orElse(false));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(48).raw("{\"accepted\":true");
    WireJson.bool(w, "key_pinned", keyPinned);
    return w.raw('}').toByteArray();
  }
}
