package io.kascompute.core.wire;

import io.kascompute.core.json.JsonObject;
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
    return new JobProofRequest(
        JobProofPayload.fromJson(body, pathJobId),
        Fields.optionalString(body, "proof_hash"),
        Fields.optionalString(body, "signature", "signature_hex"),
        Fields.optionalString(body, "public_key_hex"),
        Fields.optionalU64(body, "lease_epoch"));
  }

  /** The complete submission, if all three cryptographic fields are present. */
  public Optional<JobProofSubmission> submission() {
    if (proofHash.isEmpty() || signature.isEmpty() || publicKeyHex.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new JobProofSubmission(payload, proofHash.get(), signature.get(), publicKeyHex.get()));
  }
}
