package io.kascompute.core.wire;

/**
 * A response body: the {@code data} member of the V1 envelope, written as compact JSON with the
 * V1 field names (snake_case). Every implementation also has a strict {@code fromJson} for
 * clients.
 */
public interface WireResponse {

  /** This body alone as compact UTF-8 JSON bytes. */
  byte[] toJson();
}
