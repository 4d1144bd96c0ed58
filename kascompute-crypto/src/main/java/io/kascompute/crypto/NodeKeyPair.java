package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.crypto.internal.Ed25519Ops;
import java.security.SecureRandom;

/**
 * A node's Ed25519 key pair: the 32-byte secret seed (RFC 8032 "secret key") and its public key.
 * Immutable; the seed never appears in {@link #toString()} and is read only through {@link
 * #exportSecretSeed()}.
 */
public final class NodeKeyPair {
  /** The secret seed length in bytes. */
  public static final int SEED_LENGTH = Ed25519Ops.SECRET_KEY_SIZE;

  private final byte[] seed;
  private final NodePublicKey publicKey;

  private NodeKeyPair(byte[] seed) {
    this.seed = seed;
    this.publicKey = NodePublicKey.of(Ed25519Ops.publicKeyOf(seed));
  }

  /** Generates a key pair from a fresh {@link SecureRandom}. */
  public static NodeKeyPair generate() {
    return generate(new SecureRandom());
  }

  /** Generates a key pair from the given source of randomness. */
  public static NodeKeyPair generate(SecureRandom random) {
    return new NodeKeyPair(Ed25519Ops.generateSeed(random));
  }

  /**
   * Derives the key pair of a copy of a 32-byte secret seed.
   *
   * @throws KasComputeException {@link ErrorCode#INVALID_SECRET_KEY} for another length
   */
  public static NodeKeyPair fromSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new KasComputeException(
          ErrorCode.INVALID_SECRET_KEY, "an Ed25519 secret seed has 32 bytes, not " + seed.length);
    }
    return new NodeKeyPair(seed.clone());
  }

  /**
   * Derives the key pair of a seed given as 64 hex characters.
   *
   * @throws KasComputeException {@link ErrorCode#INVALID_SECRET_KEY} for malformed hex or another
   *     length (the message never echoes the secret)
   */
  public static NodeKeyPair fromSeedHex(String seedHex) {
    byte[] seed;
    try {
      seed = HexCodec.decode("secret key", seedHex, SEED_LENGTH);
    } catch (KasComputeException e) {
      throw new KasComputeException(ErrorCode.INVALID_SECRET_KEY, e.getMessage());
    }
    return new NodeKeyPair(seed);
  }

  /** The public key. */
  public NodePublicKey publicKey() {
    return publicKey;
  }

  /** The launcher-style node id of the public key. */
  public NodeId nodeId() {
    return publicKey.nodeId();
  }

  /** A copy of the 32-byte secret seed: handle with care, it is the node's identity. */
  public byte[] exportSecretSeed() {
    return seed.clone();
  }

  /** The secret seed as 64 lowercase hex characters: handle with care. */
  public String exportSecretSeedHex() {
    return HexCodec.encode(seed);
  }

  byte[] seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "NodeKeyPair[public=" + publicKey.hex() + ", secret=<redacted>]";
  }
}
