package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.JobProofPayload;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/jobs/proof} or {@code POST /v1/jobs/:job_id/proof} as a coordinator
 * reads it: the payload fields, the cryptographic fields (each optional here, so that the
 * verification policy rather than the parser decides what a missing one means), and the SDK
 * extension {@code lease_epoch}. {@code signature} may be sent as {@code signature_hex}.
 */
public record JobProofRequest(
    JobProofPayload payload,
    Optional<String> proofHash,
    Optional<String> signature,
    Optional<String> publicKeyHex,
    OptionalLong leaseEpoch) {

  /** Checks that nothing is null. */
  public JobProofRequest {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /**
   * Reads the body, ignoring unknown fields.
   *
   * @param pathJobId the job id from {@code /v1/jobs/:job_id/proof}, if the route has one
   */
  public static JobProofRequest fromJson(JsonObject body, OptionalLong pathJobId) {
    OptionalLong bodyJobId = Fields.optionalU64(body, "job_id");
    long jobId;
    if (pathJobId.isPresent()) {
      jobId = pathJobId.getAsLong();
      if (bodyJobId.isPresent() && bodyJobId.getAsLong() != jobId) {
        throw new KasComputeException(
            ErrorCode.FIELD_OUT_OF_RANGE,
            "job_id " + Long.toUnsignedString(bodyJobId.getAsLong())
                + " differs from the job id in the path " + Long.toUnsignedString(jobId));
      }
    } else {
      jobId = bodyJobId.orElseThrow(() -> Fields.missing("job_id"));
    }
    JobProofPayload payload = new JobProofPayload(
        NodeId.of(Fields.string(body, "node_id")),
        Fields.optionalString(body, "miner_id"),
        jobId,
        Fields.u64(body, "work_units"),
        Fields.optionalString(body, "workload_mode").orElse(JobProofPayload.DEFAULT_WORKLOAD_MODE),
        Fields.u64(body, "elapsed_ms"),
        Fields.optionalString(body, "client_version").orElse(JobProofPayload.DEFAULT_CLIENT_VERSION),
        Fields.optionalU64(body, "timestamp_unix", "ts")
            .orElseThrow(() -> Fields.missing("timestamp_unix")));
    return new JobProofRequest(
        payload,
        Fields.optionalString(body, "proof_hash_hex", "proof_hash"),
        Fields.optionalString(body, "signature_hex", "signature"),
        Fields.optionalString(body, "public_key_hex"),
        Fields.optionalU64(body, "lease_epoch"));
  }

  /** The submission to verify, if the request carries a signature. */
  public Optional<JobProofSubmission> submission() {
    return signature.map(sig -> new JobProofSubmission(payload.nodeId(), payload.minerId(),
        payload.jobId(), payload.workUnits(), Optional.of(payload.workloadMode()),
        OptionalLong.of(payload.elapsedMs()), Optional.of(payload.clientVersion()), payload.ts(),
        proofHash, sig, publicKeyHex));
  }
}
