package io.kascompute.core.wire;

/**
 * A request body of a V1 endpoint, written as compact JSON with the V1 field names; every
 * implementation also has a strict {@code fromJson} that coordinators use.
 */
public interface WireRequest {

  /** This body as compact UTF-8 JSON bytes, ready to send. */
  byte[] toJson();
}
