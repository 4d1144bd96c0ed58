package io.kascompute.core;

/** A task's identifier within one ComputeDAG; its length limit is enforced by DAG validation. */
public record TaskId(String value) implements Comparable<TaskId> {
  /** The longest accepted value, in UTF-16 units. */
  public static final int MAX_LENGTH = 4096;

  /** Validates and wraps a value; refuses empty, oversize or control-character ids with {@link ErrorCode#INVALID_ID}. */
  public TaskId {
    Identifiers.check("task_id", value, MAX_LENGTH);
  }

  /** Validates and wraps a value. */
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
