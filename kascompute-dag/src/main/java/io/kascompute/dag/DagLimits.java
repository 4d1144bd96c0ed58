package io.kascompute.dag;

import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonLimits;

/**
 * Bounds on an untrusted DAG spec: every stored string and JSON value of a DAG has one.
 *
 * <p>The first five are <b>hard limits</b>, applied while a spec is read and compiled, whatever
 * the admission policy, because they bound memory: a spec that passes them compiles into at most
 * a few times {@code maxSpecBytes} of heap, and reading one that does not costs no more. The last
 * four are <b>admission bounds</b>: {@link DagAdmission.Rule#VALUE_BOUNDS} checks them on a
 * compiled DAG, so that they never make hashing refuse a spec deployed V1 hashes.
 *
 * @param maxSpecBytes the largest JSON document read ({@code body_too_large})
 * @param maxDepth the deepest nesting of arrays and objects in the document, the root container
 *     being depth 1, at most {@value JsonLimits#MAX_DEPTH} ({@code nesting_too_deep})
 * @param maxTasks the most tasks ({@code too_many_tasks})
 * @param maxEdges the most edges, duplicates counted ({@code too_many_edges})
 * @param maxCanonicalSpecBytes the largest canonical spec, in bytes ({@code value_too_large})
 * @param maxNameBytes the longest DAG name, in UTF-8 bytes (admission, {@code value_too_large})
 * @param maxTaskIdBytes the longest task id, in UTF-8 bytes (admission, {@code value_too_large})
 * @param maxTaskTypeBytes the longest task type, in UTF-8 bytes (admission, {@code
 *     value_too_large})
 * @param maxParamsBytes the largest canonical {@code params} of one task (admission, {@code
 *     value_too_large})
 */
public record DagLimits(
    int maxSpecBytes,
    int maxDepth,
    int maxTasks,
    int maxEdges,
    long maxCanonicalSpecBytes,
    int maxNameBytes,
    int maxTaskIdBytes,
    int maxTaskTypeBytes,
    int maxParamsBytes) {

  /**
   * The default for a coordinator, sized so that reading one hostile submit at any bound stays
   * within a few hundred megabytes, well inside a 512 MB heap: documents up to 32 MiB, nesting 64,
   * 1,000,000 tasks, 4,000,000 edges, a canonical spec up to 64 MiB; names up to 1 KiB, task ids
   * 512 bytes, task types 256 bytes, params 64 KiB per task.
   */
  public static final DagLimits DEFAULT =
      new DagLimits(32 << 20, 64, 1_000_000, 4_000_000, 64L << 20, 1024, 512, 256, 64 << 10);

  /**
   * Deployed V1's own limits, for tools that must hash whatever V1 hashes: nesting up to 127 (the
   * limit of V1's JSON parser), and nothing else beyond what a Java array can hold.
   */
  public static final DagLimits V1 = new DagLimits(Integer.MAX_VALUE - 8, 127, Integer.MAX_VALUE,
      Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
      Integer.MAX_VALUE);

  /** Validates the limits: every bound positive (edges may be 0), the depth at most {@value JsonLimits#MAX_DEPTH}. */
  public DagLimits {
    positive("maxSpecBytes", maxSpecBytes);
    if (maxDepth < 1 || maxDepth > JsonLimits.MAX_DEPTH) {
      throw new IllegalArgumentException(
          "maxDepth must be in 1.." + JsonLimits.MAX_DEPTH + ": " + maxDepth);
    }
    positive("maxTasks", maxTasks);
    if (maxEdges < 0) {
      throw new IllegalArgumentException("maxEdges must not be negative: " + maxEdges);
    }
    if (maxCanonicalSpecBytes < 1) {
      throw new IllegalArgumentException(
          "maxCanonicalSpecBytes must be positive: " + maxCanonicalSpecBytes);
    }
    positive("maxNameBytes", maxNameBytes);
    positive("maxTaskIdBytes", maxTaskIdBytes);
    positive("maxTaskTypeBytes", maxTaskTypeBytes);
    positive("maxParamsBytes", maxParamsBytes);
  }

  /**
   * The {@link #DEFAULT} limits with other task and edge counts and another task id bound (in
   * UTF-8 bytes; at most {@link TaskId#MAX_LENGTH} keeps every id a valid {@link TaskId}).
   */
  public DagLimits(int maxTasks, int maxEdges, int maxTaskIdBytes) {
    this(DEFAULT.maxSpecBytes, DEFAULT.maxDepth, maxTasks, maxEdges, DEFAULT.maxCanonicalSpecBytes,
        DEFAULT.maxNameBytes, maxTaskIdBytes, DEFAULT.maxTaskTypeBytes, DEFAULT.maxParamsBytes);
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
  }

  /** These limits with another document size bound. */
  public DagLimits withMaxSpecBytes(int bytes) {
    return new DagLimits(bytes, maxDepth, maxTasks, maxEdges, maxCanonicalSpecBytes, maxNameBytes,
        maxTaskIdBytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another nesting bound. */
  public DagLimits withMaxDepth(int depth) {
    return new DagLimits(maxSpecBytes, depth, maxTasks, maxEdges, maxCanonicalSpecBytes,
        maxNameBytes, maxTaskIdBytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another task limit. */
  public DagLimits withMaxTasks(int tasks) {
    return new DagLimits(maxSpecBytes, maxDepth, tasks, maxEdges, maxCanonicalSpecBytes,
        maxNameBytes, maxTaskIdBytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another edge limit. */
  public DagLimits withMaxEdges(int edges) {
    return new DagLimits(maxSpecBytes, maxDepth, maxTasks, edges, maxCanonicalSpecBytes,
        maxNameBytes, maxTaskIdBytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another canonical spec size bound. */
  public DagLimits withMaxCanonicalSpecBytes(long bytes) {
    return new DagLimits(maxSpecBytes, maxDepth, maxTasks, maxEdges, bytes, maxNameBytes,
        maxTaskIdBytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another DAG name bound. */
  public DagLimits withMaxNameBytes(int bytes) {
    return new DagLimits(maxSpecBytes, maxDepth, maxTasks, maxEdges, maxCanonicalSpecBytes, bytes,
        maxTaskIdBytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another task id bound. */
  public DagLimits withMaxTaskIdBytes(int bytes) {
    return new DagLimits(maxSpecBytes, maxDepth, maxTasks, maxEdges, maxCanonicalSpecBytes,
        maxNameBytes, bytes, maxTaskTypeBytes, maxParamsBytes);
  }

  /** These limits with another task type bound. */
  public DagLimits withMaxTaskTypeBytes(int bytes) {
    return new DagLimits(maxSpecBytes, maxDepth, maxTasks, maxEdges, maxCanonicalSpecBytes,
        maxNameBytes, maxTaskIdBytes, bytes, maxParamsBytes);
  }

  /** These limits with another per-task params bound. */
  public DagLimits withMaxParamsBytes(int bytes) {
    return new DagLimits(maxSpecBytes, maxDepth, maxTasks, maxEdges, maxCanonicalSpecBytes,
        maxNameBytes, maxTaskIdBytes, maxTaskTypeBytes, bytes);
  }
}
