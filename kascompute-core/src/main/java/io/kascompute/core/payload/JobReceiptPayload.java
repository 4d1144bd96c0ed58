package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/**
 * What a coordinator signs when it accepts a job proof (an SDK extension), so that an auditor can
 * prove the acceptance: compact JSON in schema order {@code receipt_version, node_id, job_id,
 * work_units, proof_hash, signature_verified, accepted_unix} with {@code receipt_version} = {@value
 * #VERSION}. The coordinator's {@code coordinator_signature} is Ed25519 over the raw 32-byte
 * SHA-256 of these bytes, like a proof signature.
 */
public record JobReceiptPayload(
    NodeId nodeId,
    long jobId,
    long workUnits,
    Sha256Digest proofHash,
    boolean signatureVerified,
    long acceptedUnix) {

  /** The value of {@code receipt_version}. */
  public static final String VERSION = "kascompute-job-receipt-1";

  /** Checks that nothing is null. */
  public JobReceiptPayload {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(proofHash, "proofHash");
  }

  /** The exact bytes whose SHA-256 the coordinator signs. */
  public byte[] canonicalBytes() {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("receipt_version").string(VERSION);
    w.raw(',').key("node_id").string(nodeId.value());
    w.raw(',').key("job_id").unsigned(jobId);
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("proof_hash").string(proofHash.hex());
    w.raw(',').key("signature_verified").raw(signatureVerified ? "true" : "false");
    w.raw(',').key("accepted_unix").unsigned(acceptedUnix).raw('}');
    return w.toByteArray();
  }

  /** SHA-256 of the canonical bytes: what the coordinator's signature covers. */
  public Sha256Digest digest() {
    return Sha256Digest.hash(canonicalBytes());
  }
}
