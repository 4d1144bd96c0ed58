package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One task of a run in {@code GET /v1/runs/{run_id}/tasks} (task-id order), for colouring a graph:
 * {@code {task_id, task_hash, status, owner, lease_expires_unix, lease_epoch, attempts}}; {@code
 * owner} and {@code lease_expires_unix} are {@code null} when the task is not leased.
 */
public record RunTaskView(
    TaskId taskId,
    Sha256Digest taskHash,
    TaskState status,
    Optional<NodeId> owner,
    OptionalLong leaseExpiresUnix,
    long leaseEpoch,
    int attempts)
    implements WireResponse {

  /** Checks that nothing is null. */
  public RunTaskView {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskHash, "taskHash");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseExpiresUnix, "leaseExpiresUnix");
  }

  /** Reads one element of the {@code data} array. */
  public static RunTaskView fromJson(JsonObject o) {
    return new RunTaskView(Fields.taskId(o, "task_id"), Fields.sha256(o, "task_hash"),
        TaskState.fromWireName(Fields.string(o, "status")),
        Fields.optionalString(o, "owner").map(NodeId::of), Fields.optionalU64(o, "lease_expires_unix"),
        Fields.optionalU64(o, "lease_epoch").orElse(0), Fields.count(o, "attempts"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("task_id").string(taskId.value());
    w.raw(',').key("task_hash").string(taskHash.hex());
    w.raw(',').key("status").string(status.wireName());
    WireJson.stringOrNull(w, "owner", owner.map(NodeId::value));
    WireJson.u64OrNull(w, "lease_expires_unix", leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch);
    w.raw(',').key("attempts").unsigned(attempts);
    return w.raw('}').toByteArray();
  }
}
