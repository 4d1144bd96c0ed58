package io.kascompute.dag.coordinator;

import io.kascompute.core.wire.WireResponse;
import java.util.Objects;

/**
 * A route's successful answer: an envelope around a wire body, or a raw body with its own content
 * type (the ledger's checkpoint and entries).
 */
sealed interface Answer {
  /** The body goes into an ok envelope. */
  record Envelope(WireResponse data) implements Answer {
    public Envelope {
      Objects.requireNonNull(data, "data");
    }
  }

  /** The body is sent as is. */
  record Raw(String contentType, byte[] body) implements Answer {
    public Raw {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }

  static Answer of(WireResponse data) {
    return new Envelope(data);
  }
}
