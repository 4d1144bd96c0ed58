package io.kascompute.testkit.server;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.internal.JsonWriter;
import java.time.Clock;

/** Error envelopes that the HTTP binding answers by itself, before the coordinator sees a request. */
final class Envelopes {
  private Envelopes() {}

  /** The V1 error envelope for {@code code} with a readable message, timestamped from {@code clock}. */
  static byte[] error(ErrorCode code, String message, Clock clock) {
    JsonWriter w = new JsonWriter(128 + message.length());
    w.raw('{').key("status").string("error");
    w.raw(',').key("data").raw("null");
    w.raw(',').key("error").raw('{').key("code").string(code.wireName());
    w.raw(',').key("message").string(message).raw('}');
    w.raw(',').key("ts").unsigned(clock.instant().getEpochSecond()).raw('}');
    return w.toByteArray();
  }
}
