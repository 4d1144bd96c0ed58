package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;

/** The answer to {@code GET /v1/health}: {@code {ok:true, timestamp}}. */
public record HealthResponse(long timestamp) implements WireResponse {

  /** Reads the {@code data} of an ok envelope. */
  public static HealthResponse fromJson(JsonObject data) {
    Fields.bool(data, "ok");
    return new HealthResponse(Fields.u64(data, "timestamp"));
  }

  @Override
  public byte[] toJson() {
    return new JsonWriter(48).raw("{\"ok\":true,\"timestamp\":").unsigned(timestamp).raw('}')
        .toByteArray();
  }
}
