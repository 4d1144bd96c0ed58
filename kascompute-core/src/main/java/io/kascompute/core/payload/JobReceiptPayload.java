package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a coordinator signs when it accepts a job proof (an SDK extension), so that a node or an
 * auditor can prove the acceptance: compact JSON in schema order {@code receipt_version, receipt,
 * node_id, job_id, work_units, scheme?, proof_signature, signature_verified, accepted_unix,
 * ledger_index?} with {@code receipt_version} = {@value #VERSION}; {@code scheme} and {@code
 * ledger_index} are left out when absent. The coordinator's {@code coordinator_signature} is
 * Ed25519 over the raw 32-byte SHA-256 of these bytes.
 *
 * @param receipt V1's receipt text ({@code rcpt:<job_id>:<hex>})
 * @param proofSignature the accepted proof's own signature, lowercase hex: it identifies the
 *     proof in either scheme
 */
public record JobReceiptPayload(
    String receipt,
    NodeId nodeId,
    long jobId,
    long workUnits,
    Optional<SignatureScheme> scheme,
    String proofSignature,
    boolean signatureVerified,
    long acceptedUnix,
    OptionalLong ledgerIndex) {

  /** The value of {@code receipt_version}. */
  public static final String VERSION = "kascompute-job-receipt-2";

  /** Checks that nothing is null. */
  public JobReceiptPayload {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(proofSignature, "proofSignature");
    Objects.requireNonNull(ledgerIndex, "ledgerIndex");
  }

  /**
   * V1's receipt text: {@code rcpt:<job_id>:} followed by the lowercase hex SHA-256 of the ASCII
   * bytes {@code <node_id>|<job_id>|<accepted_unix>|<work_units>} (node id as UTF-8).
   */
  public static String v1Receipt(NodeId nodeId, long jobId, long acceptedUnix, long workUnits) {
    String job = Long.toUnsignedString(jobId);
    byte[] bytes = io.kascompute.core.internal.StrictUtf8.encode(nodeId.value() + '|' + job + '|'
        + Long.toUnsignedString(acceptedUnix) + '|' + Long.toUnsignedString(workUnits));
    return "rcpt:" + job + ':' + Sha256Digest.hash(bytes).hex();
  }

  /** The exact bytes whose SHA-256 the coordinator signs. */
  public byte[] canonicalBytes() {
    JsonWriter w = new JsonWriter(384);
    w.raw('{').key("receipt_version").string(VERSION);
    w.raw(',').key("receipt").string(receipt);
    w.raw(',').key("node_id").string(nodeId.value());
    w.raw(',').key("job_id").unsigned(jobId);
    w.raw(',').key("work_units").unsigned(workUnits);
    if (scheme.isPresent()) {
      w.raw(',').key("scheme").string(scheme.get().wireName());
    }
    w.raw(',').key("proof_signature").string(proofSignature);
    w.raw(',').key("signature_verified").raw(signatureVerified ? "true" : "false");
    w.raw(',').key("accepted_unix").unsigned(acceptedUnix);
    if (ledgerIndex.isPresent()) {
      w.raw(',').key("ledger_index").unsigned(ledgerIndex.getAsLong());
    }
    return w.raw('}').toByteArray();
  }

  /** SHA-256 of the canonical bytes: what the coordinator's signature covers. */
  public Sha256Digest digest() {
    return Sha256Digest.hash(canonicalBytes());
  }
}
