package io.kascompute.dag;

import io.kascompute.core.TaskId;

/**
 * Limits applied when compiling an untrusted DAG spec; counts are checked before any other work.
 *
 * @param maxTasks the most tasks a DAG may have
 * @param maxEdges the most edges a DAG may have
 * @param maxTaskIdLength the longest accepted task id, in UTF-16 units (at most {@link
 *     TaskId#MAX_LENGTH})
 */
public record DagLimits(int maxTasks, int maxEdges, int maxTaskIdLength) {
  /** The default: 1,000,000 tasks, 4,000,000 edges, task ids up to 256 characters. */
  public static final DagLimits DEFAULT = new DagLimits(1_000_000, 4_000_000, 256);

  /** Validates the limits. */
  public DagLimits {
    if (maxTasks < 1) {
      throw new IllegalArgumentException("maxTasks must be positive: " + maxTasks);
    }
    if (maxEdges < 0) {
      throw new IllegalArgumentException("maxEdges must not be negative: " + maxEdges);
    }
    if (maxTaskIdLength < 1 || maxTaskIdLength > TaskId.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "maxTaskIdLength must be in 1.." + TaskId.MAX_LENGTH + ": " + maxTaskIdLength);
    }
  }

  /** These limits with another task limit. */
  public DagLimits withMaxTasks(int tasks) {
    return new DagLimits(tasks, maxEdges, maxTaskIdLength);
  }

  /** These limits with another edge limit. */
  public DagLimits withMaxEdges(int edges) {
    return new DagLimits(maxTasks, edges, maxTaskIdLength);
  }

  /** These limits with another task id length limit. */
  public DagLimits withMaxTaskIdLength(int length) {
    return new DagLimits(maxTasks, maxEdges, length);
  }
}
