package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.crypto.internal.Ed25519Ops;

/**
 * Raw Ed25519 over messages of any length with the SDK's pinned semantics, for receipts,
 * checkpoints and test vectors; proofs and heartbeats use {@link ProofSigner} and {@link
 * ProofVerifier}, which know the protocol's messages and report the scheme that verified.
 */
public final class Signatures {
  private Signatures() {}

  /**
   * Checks {@code signature} over {@code message} under {@code publicKey} (RFC 8032 Ed25519 as
   * BouncyCastle 1.87 implements it: canonical encodings only, no small-order keys, S below L,
   * cofactored equation); returns normally when it verifies.
   *
   * @throws KasComputeException {@link ErrorCode#WRONG_LENGTH} for a key or signature of the
   *     wrong size, {@link ErrorCode#INVALID_PUBLIC_KEY}, or {@link ErrorCode#BAD_SIGNATURE}
   */
  public static void verifyRaw(byte[] publicKey, byte[] message, byte[] signature) {
    verifyRaw(NodePublicKey.of(publicKey), message, signature);
  }

  /**
   * Checks {@code signature} over {@code message} under a validated key; returns normally when it
   * verifies.
   *
   * @throws KasComputeException {@link ErrorCode#WRONG_LENGTH} for a signature that is not 64
   *     bytes, or {@link ErrorCode#BAD_SIGNATURE}
   */
  public static void verifyRaw(NodePublicKey publicKey, byte[] message, byte[] signature) {
    if (signature.length != Ed25519Ops.SIGNATURE_SIZE) {
      throw new KasComputeException(
          ErrorCode.WRONG_LENGTH, "an Ed25519 signature has 64 bytes, not " + signature.length);
    }
    if (!Ed25519Ops.verify(publicKey.decoded(), signature, message, 0, message.length)) {
      throw new KasComputeException(ErrorCode.BAD_SIGNATURE, "the signature does not verify");
    }
  }

  /** Signs {@code message} of any length (deterministic RFC 8032 Ed25519). */
  public static byte[] signRaw(NodeKeyPair keys, byte[] message) {
    return Ed25519Ops.sign(keys.seed(), keys.publicKey().rawBytes(), message, 0, message.length);
  }
}
