package io.kascompute.core;

import java.util.Objects;

/**
 * A node's identifier, for example {@code kc_0123456789abcdef} or a free-form {@code kc_node_01}.
 *
 * <p>Any string is a valid value, as in deployed V1 (control characters and the empty string
 * included): what a coordinator admits is its admission policy's decision, not this type's.
 */
public record NodeId(String value) implements Comparable<NodeId> {
  /** Checks that the value is not null. */
  public NodeId {
    Objects.requireNonNull(value, "node_id");
  }

  /** Wraps a value. */
  public static NodeId of(String value) {
    return new NodeId(value);
  }

  /** Orders ids by Unicode code point (UTF-8 byte order), the protocol's sort order. */
  @Override
  public int compareTo(NodeId other) {
    return CodePointOrder.compare(value, other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
