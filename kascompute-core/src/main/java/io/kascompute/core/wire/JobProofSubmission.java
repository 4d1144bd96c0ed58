package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A job proof as submitted to {@code POST /v1/jobs/proof}: the payload fields plus the three
 * cryptographic fields, kept as the hex text received so that a verifier can report malformed
 * hex precisely.
 */
public record JobProofSubmission(
    JobProofPayload payload, String proofHash, String signature, String publicKeyHex) {

  /** Checks that no component is null. */
  public JobProofSubmission {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
  }

  /**
   * Reads a submission from a request body; {@code signature} may be sent as {@code
   * signature_hex}. Unknown fields are ignored and never hashed.
   */
  public static JobProofSubmission fromJson(JsonObject body, OptionalLong pathJobId) {
    JobProofPayload payload = JobProofPayload.fromJson(body, pathJobId);
    String signature = Fields.optionalString(body, "signature", "signature_hex")
        .orElseThrow(() -> Fields.missing("signature"));
    return new JobProofSubmission(
        payload, Fields.string(body, "proof_hash"), signature, Fields.string(body, "public_key_hex"));
  }

  /** The request body: the payload fields in schema order, then the three cryptographic fields. */
  public byte[] toJsonBytes() {
    JsonWriter w = new JsonWriter(400);
    payload.writeTo(w);
    w.truncate(w.size() - 1); // reopen the payload object to append the cryptographic fields
    w.raw(',').key("proof_hash").string(proofHash);
    w.raw(',').key("signature").string(signature);
    w.raw(',').key("public_key_hex").string(publicKeyHex).raw('}');
    return w.toByteArray();
  }
}
