package io.kascompute.crypto;

import java.util.Objects;

/**
 * The three cryptographic fields of a signed proof, as lowercase hex: {@code proof_hash} (SHA-256
 * of the payload bytes), {@code signature} (Ed25519 over the raw digest) and {@code
 * public_key_hex}.
 */
public record ProofSignature(String proofHash, String signature, String publicKeyHex) {
  /** Checks that nothing is null. */
  public ProofSignature {
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
  }
}
