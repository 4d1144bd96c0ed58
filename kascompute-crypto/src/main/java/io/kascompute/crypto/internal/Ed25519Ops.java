package io.kascompute.crypto.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The only place that touches BouncyCastle's low-level Ed25519: key derivation, signing and the
 * pinned verification semantics (canonical encodings, no small-order keys, S below L, cofactored
 * equation, exactly 64 signature bytes).
 */
public final class Ed25519Ops {
  /** Public key length in bytes. */
  public static final int PUBLIC_KEY_SIZE = Ed25519.PUBLIC_KEY_SIZE;
  /** Secret seed length in bytes. */
  public static final int SECRET_KEY_SIZE = Ed25519.SECRET_KEY_SIZE;
  /** Signature length in bytes. */
  public static final int SIGNATURE_SIZE = Ed25519.SIGNATURE_SIZE;

  static {
    Ed25519.precompute();
  }

  private Ed25519Ops() {}

  /** A fresh 32-byte secret seed from {@code random}. */
  public static byte[] generateSeed(SecureRandom random) {
    byte[] seed = new byte[SECRET_KEY_SIZE];
    Ed25519.generatePrivateKey(random, seed);
    return seed;
  }

  /** The 32-byte public key of a 32-byte seed. */
  public static byte[] publicKeyOf(byte[] seed) {
    byte[] pk = new byte[PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  /**
   * Decodes and validates a public key as BouncyCastle's own verify does, refusing non-canonical
   * encodings, points not on the curve and small-order points with {@link
   * ErrorCode#INVALID_PUBLIC_KEY}; mixed-order points are accepted (speccheck cases 3 to 5), which
   * is what pins the pattern {@code XXVVVVXXXXXX}.
   */
  public static DecodedKey decode(byte[] publicKey) {
    if (publicKey.length != PUBLIC_KEY_SIZE) {
      throw new KasComputeException(
          ErrorCode.WRONG_LENGTH, "an Ed25519 public key has 32 bytes, not " + publicKey.length);
    }
    return decode(publicKey, 0);
  }

  /**
   * Decodes and validates the 32-byte public key at {@code off} of {@code buf}, as {@link
   * #decode(byte[])} does.
   */
  public static DecodedKey decode(byte[] buf, int off) {
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(buf, off);
    if (point == null) {
      throw new KasComputeException(
          ErrorCode.INVALID_PUBLIC_KEY,
          "the public key is not a canonical Ed25519 point outside the small-order subgroup");
    }
    return new DecodedKey(point);
  }

  /** Signs {@code len} message bytes with a seed and its matching public key. */
  public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message, int off, int len) {
    byte[] sig = new byte[SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey, 0, message, off, len, sig, 0);
    return sig;
  }

  /** Whether {@code signature} (which must hold exactly 64 bytes) verifies over the message. */
  public static boolean verify(DecodedKey key, byte[] signature, byte[] message, int off, int len) {
    if (signature.length != SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, key.point, message, off, len);
  }

  /**
   * Whether the 64 signature bytes at {@code sigOff} of {@code signature} verify over the message;
   * the caller guarantees that they are there.
   */
  public static boolean verify(
      DecodedKey key, byte[] signature, int sigOff, byte[] message, int off, int len) {
    return Ed25519.verify(signature, sigOff, key.point, message, off, len);
  }

  /** A validated public key decoded once, reusable across verifications and threads. */
  public static final class DecodedKey {
    private final Ed25519.PublicPoint point;

    private DecodedKey(Ed25519.PublicPoint point) {
      this.point = point;
    }
  }
}
