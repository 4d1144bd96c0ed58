package io.kascompute.core.wire;

import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.SignatureScheme;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answer to an accepted task proof: V1's {@code {status:"accepted", run_id, task_id,
 * unlocked_ready}} (a count) plus the SDK's {@code unlocked_task_ids}, {@code proof_hash}, {@code
 * signature_verified}, {@code scheme} (when verified), {@code repeat} and {@code ledger_index}.
 */
public record TaskProofAccepted(
    RunId runId,
    TaskId taskId,
    List<TaskId> unlockedTaskIds,
    Sha256Digest proofHash,
    boolean signatureVerified,
    Optional<SignatureScheme> scheme,
    boolean repeat,
    OptionalLong ledgerIndex)
    implements WireResponse {

  /** Copies the list and checks that nothing is null. */
  public TaskProofAccepted {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    unlockedTaskIds = List.copyOf(unlockedTaskIds);
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(ledgerIndex, "ledgerIndex");
  }

  /** The V1 {@code unlocked_ready} count. */
  public int unlockedReady() {
    return unlockedTaskIds.size();
  }

  /** Reads the {@code data} of an ok envelope. */
  public static TaskProofAccepted fromJson(JsonObject data) {
    return new TaskProofAccepted(
        Fields.runId(data, "run_id"),
        Fields.taskId(data, "task_id"),
        Fields.optionalStrings(data, "unlocked_task_ids").orElse(List.of()).stream()
            .map(TaskId::of).toList(),
        Fields.sha256(data, "proof_hash"),
        Fields.bool(data, "signature_verified"),
        Fields.optionalString(data, "scheme").map(SignatureScheme::fromWireName),
        Fields.optionalBoolean(data, "repeat").orElse(false),
        Fields.optionalU64(data, "ledger_index"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256).raw("{\"status\":\"accepted\"");
    w.raw(',').key("run_id").string(runId.value());
    w.raw(',').key("task_id").string(taskId.value());
    w.raw(',').key("unlocked_ready").unsigned(unlockedTaskIds.size());
    w.raw(',').key("unlocked_task_ids");
    WireJson.strings(w, unlockedTaskIds.stream().map(TaskId::value).toList());
    w.raw(',').key("proof_hash").string(proofHash.hex());
    WireJson.bool(w, "signature_verified", signatureVerified);
    WireJson.optionalString(w, "scheme", scheme.map(SignatureScheme::wireName));
    WireJson.bool(w, "repeat", repeat);
    WireJson.optionalU64(w, "ledger_index", ledgerIndex);
    return w.raw('}').toByteArray();
  }
}
