package io.kascompute.core;

/** A run's identifier, in the deployed form {@code run-<dag_id>-<seq>} or any other non-empty id. */
public record RunId(String value) implements Comparable<RunId> {
  /** The longest accepted value, in UTF-16 units. */
  public static final int MAX_LENGTH = 512;

  /** Validates and wraps a value; refuses empty, oversize or control-character ids with {@link ErrorCode#INVALID_ID}. */
  public RunId {
    Identifiers.check("run_id", value, MAX_LENGTH);
  }

  /** Validates and wraps a value. */
  public static RunId of(String value) {
    return new RunId(value);
  }

  /** Orders ids by Unicode code point (UTF-8 byte order), the protocol's sort order. */
  @Override
  public int compareTo(RunId other) {
    return CodePointOrder.compare(value, other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
