package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.crypto.internal.Ed25519Ops;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A validated Ed25519 public key of a node: 32 bytes that canonically encode a curve point not of
 * small order. Construction refuses anything else, so holding one means the key is usable.
 */
public final class NodePublicKey {
  private final byte[] bytes;
  private final String hex;
  private final Ed25519Ops.DecodedKey decoded;

  private NodePublicKey(byte[] bytes) {
    this.decoded = Ed25519Ops.decode(bytes);
    this.bytes = bytes;
    this.hex = HexCodec.encode(bytes);
  }

  /**
   * Validates a copy of 32 key bytes.
   *
   * @throws KasComputeException {@link ErrorCode#WRONG_LENGTH} for another length, {@link
   *     ErrorCode#INVALID_PUBLIC_KEY} for a non-canonical or small-order point
   */
  public static NodePublicKey of(byte[] key) {
    return new NodePublicKey(key.clone());
  }

  /** Validates 32 key bytes as carried on the wire. */
  public static NodePublicKey of(PublicKeyBytes key) {
    return new NodePublicKey(key.toByteArray());
  }

  /**
   * Parses and validates 64 hex characters ({@code public_key_hex}).
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_HEX}, {@link ErrorCode#WRONG_LENGTH}
   *     or {@link ErrorCode#INVALID_PUBLIC_KEY}
   */
  public static NodePublicKey fromHex(String hex) {
    return new NodePublicKey(HexCodec.decode("public_key_hex", hex, Ed25519Ops.PUBLIC_KEY_SIZE));
  }

  /** A copy of the 32 key bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The key as wire bytes. */
  public PublicKeyBytes toPublicKeyBytes() {
    return PublicKeyBytes.of(bytes);
  }

  /** The 64 lowercase hex characters ({@code public_key_hex}). */
  public String hex() {
    return hex;
  }

  /** The launcher-style node id: {@code "kc_"} followed by the first 16 hex characters of the key. */
  public NodeId nodeId() {
    return NodeId.of("kc_" + hex.substring(0, 16));
  }

  Ed25519Ops.DecodedKey decoded() {
    return decoded;
  }

  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodePublicKey k && MessageDigest.isEqual(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "NodePublicKey[" + hex + "]";
  }
}
