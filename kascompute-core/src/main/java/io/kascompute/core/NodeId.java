package io.kascompute.core;

/** A node's identifier, for example {@code kc_0123456789abcdef} or a free-form {@code kc_node_01}. */
public record NodeId(String value) implements Comparable<NodeId> {
  /** The longest accepted value, in UTF-16 units. */
  public static final int MAX_LENGTH = 256;

  /** Validates and wraps a value; refuses empty, oversize or control-character ids with {@link ErrorCode#INVALID_ID}. */
  public NodeId {
    Identifiers.check("node_id", value, MAX_LENGTH);
  }

  /** Validates and wraps a value. */
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
