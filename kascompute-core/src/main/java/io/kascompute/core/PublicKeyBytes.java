package io.kascompute.core;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The 32 bytes of an Ed25519 public key as carried on the wire ({@code public_key_hex}); only the
 * length is checked here, curve validity is checked by {@code kascompute-crypto}.
 */
public final class PublicKeyBytes {
  /** The key length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hashCode;

  private PublicKeyBytes(byte[] bytes) {
    this.bytes = bytes;
    this.hashCode = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of 32 key bytes. */
  public static PublicKeyBytes of(byte[] key) {
    if (key.length != LENGTH) {
      throw new KasComputeException(
          ErrorCode.WRONG_LENGTH, "an Ed25519 public key has 32 bytes, not " + key.length);
    }
    return new PublicKeyBytes(key.clone());
  }

  /** Parses 64 hex characters (either case). */
  public static PublicKeyBytes fromHex(String hex) {
    return new PublicKeyBytes(HexCodec.decode("public_key_hex", hex, LENGTH));
  }

  /** A copy of the 32 key bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The 64 lowercase hex characters. */
  public String hex() {
    return HexCodec.encode(bytes);
  }

  /** The launcher-style node id: {@code "kc_"} followed by the first 16 hex characters of the key. */
  public NodeId launcherNodeId() {
    return NodeId.of("kc_" + hex().substring(0, 16));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKeyBytes k && MessageDigest.isEqual(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public String toString() {
    return hex();
  }
}
