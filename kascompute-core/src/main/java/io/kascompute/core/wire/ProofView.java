package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.SignatureScheme;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One accepted proof in {@code GET /v1/proofs} (newest first): {@code {seq, kind, node_id,
 * miner_id, job_id, run_id, task_id, work_units, elapsed_ms, scheme, signature_verified,
 * accepted_unix, coordinator, ledger_index}}; what a kind does not have is {@code null}.
 *
 * @param seq the proof's position in the coordinator's record, from 0, in acceptance order
 */
public record ProofView(
    long seq,
    ProofKind kind,
    NodeId nodeId,
    Optional<String> minerId,
    OptionalLong jobId,
    Optional<RunId> runId,
    Optional<TaskId> taskId,
    long workUnits,
    long elapsedMs,
    Optional<SignatureScheme> scheme,
    boolean signatureVerified,
    long acceptedUnix,
    String coordinator,
    OptionalLong ledgerIndex)
    implements WireResponse {

  /** Checks that nothing is null. */
  public ProofView {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(minerId, "minerId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(ledgerIndex, "ledgerIndex");
  }

  /** Reads one element of the {@code data} array. */
  public static ProofView fromJson(JsonObject o) {
    return new ProofView(Fields.u64(o, "seq"), ProofKind.fromWireName(Fields.string(o, "kind")),
        Fields.nodeId(o, "node_id"), Fields.optionalString(o, "miner_id"),
        Fields.optionalU64(o, "job_id"), Fields.optionalString(o, "run_id").map(RunId::of),
        Fields.optionalString(o, "task_id").map(TaskId::of), Fields.u64(o, "work_units"),
        Fields.u64(o, "elapsed_ms"),
        Fields.optionalString(o, "scheme").map(SignatureScheme::fromWireName),
        Fields.bool(o, "signature_verified"), Fields.u64(o, "accepted_unix"),
        Fields.string(o, "coordinator"), Fields.optionalU64(o, "ledger_index"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(384);
    w.raw('{').key("seq").unsigned(seq);
    w.raw(',').key("kind").string(kind.wireName());
    w.raw(',').key("node_id").string(nodeId.value());
    WireJson.stringOrNull(w, "miner_id", minerId);
    WireJson.u64OrNull(w, "job_id", jobId);
    WireJson.stringOrNull(w, "run_id", runId.map(RunId::value));
    WireJson.stringOrNull(w, "task_id", taskId.map(TaskId::value));
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("elapsed_ms").unsigned(elapsedMs);
    WireJson.stringOrNull(w, "scheme", scheme.map(SignatureScheme::wireName));
    WireJson.bool(w, "signature_verified", signatureVerified);
    w.raw(',').key("accepted_unix").unsigned(acceptedUnix);
    w.raw(',').key("coordinator").string(coordinator);
    WireJson.u64OrNull(w, "ledger_index", ledgerIndex);
    return w.raw('}').toByteArray();
  }
}
