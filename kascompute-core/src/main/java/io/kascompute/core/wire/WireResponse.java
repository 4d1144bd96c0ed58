package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;

/** A response body ({@code data} of the envelope) that writes itself as compact snake_case JSON. */
public interface WireResponse {

  /** Writes this body as one JSON value to {@code w} (SDK modules only: the writer is internal). */
  void writeTo(JsonWriter w);

  /** This body alone as compact JSON bytes. */
  default byte[] toJson() {
    JsonWriter w = new JsonWriter(128);
    writeTo(w);
    return w.toByteArray();
  }
}
