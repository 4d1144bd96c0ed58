package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;

/** The answer to a heartbeat: {@code {accepted:true}}. */
public record HeartbeatResponse() implements WireResponse {
  @Override
  public void writeTo(JsonWriter w) {
    w.raw("{\"accepted\":true}");
  }
}
