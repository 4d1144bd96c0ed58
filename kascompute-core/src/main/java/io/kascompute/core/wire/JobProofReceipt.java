package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to an accepted job proof: V1's {@code {status:"accepted", receipt,
 * signature_verified}}, plus, when the coordinator has a signing key, the SDK extensions {@code
 * accepted_unix}, {@code coordinator_public_key_hex} and {@code coordinator_signature} (Ed25519,
 * lowercase hex, over the SHA-256 of the receipt bytes defined in {@code docs/spec/coordinator.md}).
 *
 * @param receipt the receipt id: the proof's {@code proof_hash} (lowercase hex)
 */
public record JobProofReceipt(
    String receipt,
    boolean signatureVerified,
    long acceptedUnix,
    Optional<String> coordinatorPublicKeyHex,
    Optional<String> coordinatorSignature)
    implements WireResponse {

  /** Checks that nothing is null and that the two coordinator fields come together. */
  public JobProofReceipt {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(coordinatorPublicKeyHex, "coordinatorPublicKeyHex");
    Objects.requireNonNull(coordinatorSignature, "coordinatorSignature");
    if (coordinatorPublicKeyHex.isPresent() != coordinatorSignature.isPresent()) {
      throw new IllegalArgumentException("coordinator key and signature come together");
    }
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw("{\"status\":\"accepted\"");
    w.raw(',').key("receipt").string(receipt);
    w.raw(',').key("signature_verified").raw(signatureVerified ? "true" : "false");
    w.raw(',').key("accepted_unix").unsigned(acceptedUnix);
    if (coordinatorSignature.isPresent()) {
      w.raw(',').key("coordinator_public_key_hex").string(coordinatorPublicKeyHex.get());
      w.raw(',').key("coordinator_signature").string(coordinatorSignature.get());
    }
    w.raw('}');
  }
}
