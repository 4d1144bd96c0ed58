package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/**
 * The answer to {@code GET /v1/runs/:run_id}: V1's {@code {run_id, dag_id, dag_root_hash, name,
 * created_unix, tasks_total, tasks_ready, tasks_running, tasks_completed, tasks_failed}} plus the
 * SDK extensions {@code tasks_pending} and {@code state} ({@code "running"}, {@code "completed"}
 * or {@code "failed"}).
 */
public record RunStatusResponse(
    String runId,
    String dagId,
    String dagRootHash,
    String name,
    long createdUnix,
    long tasksTotal,
    long tasksPending,
    long tasksReady,
    long tasksRunning,
    long tasksCompleted,
    long tasksFailed,
    String state)
    implements WireResponse {

  /** Checks that nothing is null. */
  public RunStatusResponse {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(dagRootHash, "dagRootHash");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("run_id").string(runId);
    w.raw(',').key("dag_id").string(dagId);
    w.raw(',').key("dag_root_hash").string(dagRootHash);
    w.raw(',').key("name").string(name);
    w.raw(',').key("created_unix").unsigned(createdUnix);
    w.raw(',').key("tasks_total").unsigned(tasksTotal);
    w.raw(',').key("tasks_ready").unsigned(tasksReady);
    w.raw(',').key("tasks_running").unsigned(tasksRunning);
    w.raw(',').key("tasks_completed").unsigned(tasksCompleted);
    w.raw(',').key("tasks_failed").unsigned(tasksFailed);
    w.raw(',').key("tasks_pending").unsigned(tasksPending);
    w.raw(',').key("state").string(state).raw('}');
  }
}
