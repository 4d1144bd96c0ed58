package io.kascompute.core;

import java.util.Objects;

/**
 * A task's identifier within one ComputeDAG.
 *
 * <p>Any string is a valid value, as in deployed V1 (control characters and the empty string
 * included): what a coordinator admits is its admission policy's decision, not this type's.
 */
public record TaskId(String value) implements Comparable<TaskId> {
  /** The longest task id a DAG's limits may allow, in UTF-16 units. */
  public static final int MAX_LENGTH = 4096;

  /** Checks that the value is not null. */
  public TaskId {
    Objects.requireNonNull(value, "task_id");
  }

  /** Wraps a value. */
  public static TaskId of(String value) {
    return new TaskId(value);
  }

  /** Orders ids by Unicode code point (UTF-8 byte order), the protocol's sort order. */
  @Override
  public int compareTo(TaskId other) {
    return CodePointOrder.compare(value, other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
