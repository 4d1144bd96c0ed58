package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.TaskProofPayload;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/runs/{run_id}/tasks/{task_id}/proof}: V1's {@code {node_id,
 * work_units, elapsed_ms, client_version?, timestamp_unix?, signature_hex?}} plus the SDK's {@code
 * proof_hash_hex?}, {@code public_key_hex?} and {@code lease_epoch?}. Aliases as for job proofs
 * ({@code ts}, {@code signature}, {@code proof_hash}; not together with their names). Unknown
 * fields are ignored and never hashed.
 */
public record TaskProofRequest(
    NodeId nodeId,
    long workUnits,
    long elapsedMs,
    Optional<String> clientVersion,
    OptionalLong timestampUnix,
    Optional<String> signatureHex,
    Optional<String> publicKeyHex,
    Optional<String> proofHash,
    OptionalLong leaseEpoch) implements WireRequest {

  /** Checks that nothing is null. */
  public TaskProofRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(timestampUnix, "timestampUnix");
    Objects.requireNonNull(signatureHex, "signatureHex");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /**
   * Reads the body, ignoring unknown fields.
   *
   * @throws io.kascompute.core.KasComputeException {@code missing_field}, {@code wrong_type},
   *     {@code field_out_of_range} or {@code duplicate_field}
   */
  public static TaskProofRequest fromJson(JsonObject body) {
    return new TaskProofRequest(
        Fields.nodeId(body, "node_id"),
        Fields.u64(body, "work_units"),
        Fields.u64(body, "elapsed_ms"),
        Fields.optionalString(body, "client_version"),
        Fields.optionalU64(body, "timestamp_unix", "ts"),
        Fields.optionalString(body, "signature_hex", "signature"),
        Fields.optionalString(body, "public_key_hex"),
        Fields.optionalString(body, "proof_hash_hex", "proof_hash"),
        Fields.optionalU64(body, "lease_epoch"));
  }

  /**
   * The payload this request proves, bound to its run, task and the task's hash; a missing {@code
   * client_version} is "unknown" and a missing timestamp is {@code defaultTs} (the coordinator's
   * clock), as for job proofs.
   */
  public TaskProofPayload payload(RunId runId, TaskId taskId, Sha256Digest taskHash, long defaultTs) {
    return new TaskProofPayload(nodeId, runId, taskId, taskHash, workUnits, elapsedMs,
        clientVersion.orElse(JobProofPayload.DEFAULT_CLIENT_VERSION),
        timestampUnix.orElse(defaultTs));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(400);
    w.raw('{').key("node_id").string(nodeId.value());
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("elapsed_ms").unsigned(elapsedMs);
    WireJson.optionalString(w, "client_version", clientVersion);
    WireJson.optionalU64(w, "timestamp_unix", timestampUnix);
    WireJson.optionalString(w, "proof_hash_hex", proofHash);
    WireJson.optionalString(w, "signature_hex", signatureHex);
    WireJson.optionalString(w, "public_key_hex", publicKeyHex);
    WireJson.optionalU64(w, "lease_epoch", leaseEpoch);
    return w.raw('}').toByteArray();
  }
}
