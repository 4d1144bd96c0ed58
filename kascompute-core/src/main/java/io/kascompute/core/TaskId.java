package io.kascompute.core;

/**
 * A task's identifier within one ComputeDAG: any non-empty string up to {@link #MAX_LENGTH}
 * UTF-16 units, control characters included, as deployed V1 coordinators accept it (whether a
 * coordinator admits control characters in a DAG's ids is its admission policy).
 */
public record TaskId(String value) implements Comparable<TaskId> {
  /** The longest accepted value, in UTF-16 units. */
  public static final int MAX_LENGTH = 4096;

  /** Validates and wraps a value; refuses empty or oversize ids with {@link ErrorCode#INVALID_ID}. */
  public TaskId {
    if (value == null) {
      throw new KasComputeException(ErrorCode.INVALID_ID, "task_id is missing");
    }
    if (value.isEmpty()) {
      throw new KasComputeException(ErrorCode.INVALID_ID, "task_id is empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new KasComputeException(
          ErrorCode.INVALID_ID,
          "task_id is " + value.length() + " characters long; the limit is " + MAX_LENGTH);
    }
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
