package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/**
 * The payload a node signs when it completes a ComputeDAG task (an SDK extension of V1).
 *
 * <p>Canonical bytes: compact JSON in schema order {@code node_id, run_id, task_id, task_hash,
 * work_units, elapsed_ms, client_version, ts}, escaped like the job payload, {@code task_hash} as
 * 64 lowercase hex characters. Binding the run, the task and its hash means a proof cannot be
 * replayed onto another task or run.
 */
public record TaskProofPayload(
    NodeId nodeId,
    RunId runId,
    TaskId taskId,
    Sha256Digest taskHash,
    long workUnits,
    long elapsedMs,
    String clientVersion,
    long ts) {

  /** Checks that no component is null. */
  public TaskProofPayload {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskHash, "taskHash");
    Objects.requireNonNull(clientVersion, "clientVersion");
  }

  /** The exact bytes that are hashed and signed. */
  public byte[] canonicalBytes() {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("node_id").string(nodeId.value());
    w.raw(',').key("run_id").string(runId.value());
    w.raw(',').key("task_id").string(taskId.value());
    w.raw(',').key("task_hash").string(taskHash.hex());
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("elapsed_ms").unsigned(elapsedMs);
    w.raw(',').key("client_version").string(clientVersion);
    w.raw(',').key("ts").unsigned(ts).raw('}');
    return w.toByteArray();
  }

  /** SHA-256 of the canonical bytes. */
  public Sha256Digest digest() {
    return Sha256Digest.hash(canonicalBytes());
  }
}
