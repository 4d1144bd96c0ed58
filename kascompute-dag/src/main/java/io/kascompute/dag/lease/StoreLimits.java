package io.kascompute.dag.lease;

/**
 * The bounds of a lease store: how much DAG and run state it holds, so that memory (or table
 * size) stays bounded whatever clients submit.
 *
 * @param maxLiveRuns runs not yet finished, in all (default 256); another {@code createRun} is
 *     refused with {@code TOO_MANY_RUNS}
 * @param maxLiveRunsPerDag runs not yet finished of one DAG (default 64), likewise
 * @param maxRetainedRuns runs kept, finished ones included (default 10,000): beyond it the oldest
 *     finished runs are deleted; if every run is live, {@code STORE_FULL}
 * @param maxRetainedTasks the tasks of every run kept, finished ones included (default
 *     4,000,000, about 140 MB in memory): enforced like {@code maxRetainedRuns}
 * @param maxDagTasks the tasks of every DAG stored (default 4,000,000): beyond it DAGs that no
 *     kept run uses are deleted, oldest first (a DAG is content-addressed and can be submitted
 *     again); if that is not enough, {@code STORE_FULL}
 */
public record StoreLimits(
    int maxLiveRuns, int maxLiveRunsPerDag, int maxRetainedRuns, long maxRetainedTasks,
    long maxDagTasks) {

  /** The defaults, sized for a 512 MB heap. */
  public static final StoreLimits DEFAULT = new StoreLimits(256, 64, 10_000, 4_000_000, 4_000_000);

  /** Validates the bounds. */
  public StoreLimits {
    if (maxLiveRuns < 1 || maxLiveRunsPerDag < 1 || maxRetainedRuns < maxLiveRuns
        || maxRetainedTasks < 1 || maxDagTasks < 1) {
      throw new IllegalArgumentException(
          "store limits must be positive, with maxRetainedRuns >= maxLiveRuns");
    }
  }
}
