package io.kascompute.core.wire;

import io.kascompute.core.DagId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;

/**
 * The answer to {@code GET /v1/runs/{run_id}}: V1's {@code {run_id, dag_id, dag_root_hash, name,
 * created_unix, tasks_total, tasks_ready, tasks_running, tasks_completed, tasks_failed}} plus the
 * SDK's {@code tasks_pending} and {@code state}; the five counts add up to {@code tasks_total}.
 */
public record RunStatusResponse(
    RunId runId,
    DagId dagId,
    Sha256Digest dagRootHash,
    String name,
    long createdUnix,
    long tasksTotal,
    long tasksPending,
    long tasksReady,
    long tasksRunning,
    long tasksCompleted,
    long tasksFailed,
    RunState state)
    implements WireResponse {

  /** Checks that nothing is null. */
  public RunStatusResponse {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(dagRootHash, "dagRootHash");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static RunStatusResponse fromJson(JsonObject o) {
    return new RunStatusResponse(Fields.runId(o, "run_id"), Fields.dagId(o, "dag_id"),
        Fields.sha256(o, "dag_root_hash"), Fields.string(o, "name"), Fields.u64(o, "created_unix"),
        Fields.u64(o, "tasks_total"), Fields.optionalU64(o, "tasks_pending").orElse(0),
        Fields.u64(o, "tasks_ready"), Fields.u64(o, "tasks_running"),
        Fields.u64(o, "tasks_completed"), Fields.u64(o, "tasks_failed"),
        Fields.optionalString(o, "state").map(RunState::fromWireName).orElse(RunState.RUNNING));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(384);
    w.raw('{').key("run_id").string(runId.value());
    w.raw(',').key("dag_id").string(dagId.value());
    w.raw(',').key("dag_root_hash").string(dagRootHash.hex());
    w.raw(',').key("name").string(name);
    w.raw(',').key("created_unix").unsigned(createdUnix);
    w.raw(',').key("tasks_total").unsigned(tasksTotal);
    w.raw(',').key("tasks_ready").unsigned(tasksReady);
    w.raw(',').key("tasks_running").unsigned(tasksRunning);
    w.raw(',').key("tasks_completed").unsigned(tasksCompleted);
    w.raw(',').key("tasks_failed").unsigned(tasksFailed);
    w.raw(',').key("tasks_pending").unsigned(tasksPending);
    w.raw(',').key("state").string(state.wireName()).raw('}');
    return w.toByteArray();
  }
}
