package io.kascompute.dag.lease;

import io.kascompute.core.DagId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.RunState;
import java.time.Instant;
import java.util.Objects;

/**
 * A run's counts; {@code tasksPending + tasksReady + tasksRunning + tasksCompleted + tasksFailed}
 * always equals {@code tasksTotal}.
 */
public record RunStatus(
    RunId runId,
    DagId dagId,
    Sha256Digest dagRootHash,
    String name,
    Instant created,
    int tasksTotal,
    int tasksPending,
    int tasksReady,
    int tasksRunning,
    int tasksCompleted,
    int tasksFailed,
    RunState state) {
  /** Checks that nothing is null and that the counts add up. */
  public RunStatus {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(dagRootHash, "dagRootHash");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(state, "state");
    if (tasksPending + tasksReady + tasksRunning + tasksCompleted + tasksFailed != tasksTotal) {
      throw new IllegalArgumentException("run status counts do not add up to " + tasksTotal);
    }
  }
}
