package io.kascompute.core;

import java.util.Objects;

/**
 * A run's identifier, in the deployed form {@code run-<dag_id>-<seq>}.
 *
 * <p>Any string is a valid value, as in deployed V1 (control characters and the empty string
 * included): what a coordinator admits is its admission policy's decision, not this type's.
 */
public record RunId(String value) implements Comparable<RunId> {
  /** Checks that the value is not null. */
  public RunId {
    Objects.requireNonNull(value, "run_id");
  }

  /** Wraps a value. */
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
