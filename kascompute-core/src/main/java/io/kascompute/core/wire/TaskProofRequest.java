package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.TaskProofPayload;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/runs/:run_id/tasks/:task_id/proof}: V1's {@code {node_id,
 * work_units, elapsed_ms, client_version?, ts?, signature?}} plus the SDK extensions {@code
 * lease_epoch}, {@code proof_hash} and {@code public_key_hex}. {@code ts} may be sent as {@code
 * timestamp_unix} and {@code signature} as {@code signature_hex}; a missing {@code client_version}
 * is {@value JobProofPayload#DEFAULT_CLIENT_VERSION} and a missing {@code ts} is 0 in the rebuilt
 * payload. Unknown fields are ignored and never hashed.
 */
public record TaskProofRequest(
    NodeId nodeId,
    long workUnits,
    long elapsedMs,
    String clientVersion,
    long ts,
    Optional<String> signature,
    Optional<String> publicKeyHex,
    Optional<String> proofHash,
    OptionalLong leaseEpoch) {

  /** Checks that nothing is null. */
  public TaskProofRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /** Reads the body, ignoring unknown fields. */
  public static TaskProofRequest fromJson(JsonObject body) {
    return new TaskProofRequest(
        NodeId.of(Fields.string(body, "node_id")),
        Fields.u64(body, "work_units"),
        Fields.u64(body, "elapsed_ms"),
        Fields.optionalString(body, "client_version")
            .orElse(JobProofPayload.DEFAULT_CLIENT_VERSION),
        Fields.optionalU64(body, "timestamp_unix", "ts").orElse(0L),
        Fields.optionalString(body, "signature_hex", "signature"),
        Fields.optionalString(body, "public_key_hex"),
        Fields.optionalString(body, "proof_hash_hex", "proof_hash"),
        Fields.optionalU64(body, "lease_epoch"));
  }

  /** The payload this request proves, bound to its run, task and the task's hash. */
  public TaskProofPayload payload(RunId runId, TaskId taskId, Sha256Digest taskHash) {
    return new TaskProofPayload(
        nodeId, runId, taskId, taskHash, workUnits, elapsedMs, clientVersion, ts);
  }
}
