package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.crypto.internal.Ed25519Ops;

/**
 * Raw Ed25519 over messages of any length with the SDK's pinned semantics; proofs use {@link
 * ProofSigner} and {@link ProofVerifier}, which sign and verify 32-byte payload digests.
 */
public final class Signatures {
  private Signatures() {}

  /**
   * Verifies {@code signature} over {@code message} under {@code publicKey} (RFC 8032 Ed25519 as
   * BouncyCastle 1.87 implements it: canonical encodings only, no small-order keys, S below L,
   * cofactored equation).
   *
   * @return {@link ErrorCode#WRONG_LENGTH} for a key or signature of the wrong size, {@link
   *     ErrorCode#INVALID_PUBLIC_KEY}, {@link ErrorCode#BAD_SIGNATURE}, or valid
   */
  public static Verdict verifyRaw(byte[] publicKey, byte[] message, byte[] signature) {
    NodePublicKey key;
    try {
      key = NodePublicKey.of(publicKey);
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
    return verifyRaw(key, message, signature);
  }

  /** Verifies {@code signature} over {@code message} under a validated key. */
  public static Verdict verifyRaw(NodePublicKey publicKey, byte[] message, byte[] signature) {
    if (signature.length != Ed25519Ops.SIGNATURE_SIZE) {
      return Verdict.invalid(
          ErrorCode.WRONG_LENGTH, "an Ed25519 signature has 64 bytes, not " + signature.length);
    }
    return Ed25519Ops.verify(publicKey.decoded(), signature, message, 0, message.length)
        ? Verdict.valid()
        : Verdict.invalid(ErrorCode.BAD_SIGNATURE, "the signature does not verify");
  }

  /** Signs {@code message} of any length (deterministic RFC 8032 Ed25519). */
  public static byte[] signRaw(NodeKeyPair keys, byte[] message) {
    return Ed25519Ops.sign(keys.seed(), keys.publicKey().rawBytes(), message, 0, message.length);
  }
}
