package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.StrictUtf8;
import io.kascompute.crypto.NodePublicKey;
import io.kascompute.crypto.Signatures;
import java.util.Objects;
import java.util.Optional;

/**
 * A recorded change of a node's pinned key, so that an auditor can check that no key ever changes
 * without one. A rotation {@link Authority#NODE by the node} carries {@code rotation_signature}:
 * Ed25519 by the old key over the ASCII bytes {@code
 * kc-rotate|<node_id>|<old_public_key_hex>|<new_public_key_hex>|<ts>} ({@link #message()}); one
 * {@link Authority#OPERATOR by an operator} carries none.
 *
 * @param nodeId {@code node_id}: the id whose pin changes (a miner's id for a miner's key)
 * @param oldPublicKeyHex {@code old_public_key_hex}, 64 lowercase hex characters
 * @param newPublicKeyHex {@code new_public_key_hex}, 64 lowercase hex characters, not the old key
 * @param by {@code by}: {@code node} or {@code operator}
 * @param rotationSignatureHex {@code rotation_signature}, 128 lowercase hex characters, present
 *     exactly when {@code by} is {@code node}
 * @param ts {@code ts}, unsigned: the time the rotation was requested, signed by the node
 * @param acceptedUnix {@code accepted_unix}, unsigned
 * @param coordinator {@code coordinator}, the accepting coordinator's id
 */
public record KeyRotationEntry(
    NodeId nodeId,
    String oldPublicKeyHex,
    String newPublicKeyHex,
    Authority by,
    Optional<String> rotationSignatureHex,
    long ts,
    long acceptedUnix,
    String coordinator) implements LedgerEntry {

  /** Who authorised a key rotation. */
  public enum Authority {
    /** The node proved both keys; the old key signed the rotation. */
    NODE("node"),
    /** An operator call of the coordinator; nothing signed. */
    OPERATOR("operator");

    private final String wireName;

    Authority(String wireName) {
      this.wireName = wireName;
    }

    /** The value of {@code by}: {@code node} or {@code operator}. */
    public String wireName() {
      return wireName;
    }

    /**
     * The authority with this wire name.
     *
     * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for any other name
     */
    public static Authority fromWireName(String name) {
      for (Authority a : values()) {
        if (a.wireName.equals(name)) {
          return a;
        }
      }
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "by must be \"node\" or \"operator\", not \"" + name + "\"");
    }
  }

  /**
   * Checks the members.
   *
   * @throws KasComputeException {@code malformed_hex} or {@code wrong_length} for a hex member
   *     that is not lowercase hex of its length; {@code field_out_of_range} if the new key is the
   *     old one; {@code missing_field} for a node rotation without {@code rotation_signature};
   *     {@code non_canonical_entry} for an operator rotation with one
   */
  public KeyRotationEntry {
    Objects.requireNonNull(nodeId, "nodeId");
    EntryCodec.lowerHex("old_public_key_hex", oldPublicKeyHex, EntryCodec.KEY_HEX);
    EntryCodec.lowerHex("new_public_key_hex", newPublicKeyHex, EntryCodec.KEY_HEX);
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(rotationSignatureHex, "rotationSignatureHex");
    Objects.requireNonNull(coordinator, "coordinator");
    if (oldPublicKeyHex.equals(newPublicKeyHex)) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "a key rotation must change the key; both are " + oldPublicKeyHex);
    }
    if (by == Authority.NODE) {
      EntryCodec.lowerHex("rotation_signature", rotationSignatureHex.orElseThrow(
          () -> new KasComputeException(ErrorCode.MISSING_FIELD,
              "field rotation_signature is required in a rotation by the node")),
          EntryCodec.SIGNATURE_HEX);
    } else if (rotationSignatureHex.isPresent()) {
      throw new KasComputeException(ErrorCode.NON_CANONICAL_ENTRY,
          "an operator rotation has no member \"rotation_signature\"");
    }
  }

  /**
   * The entry for a rotation the node signed with its old key; the signature (either hex case) is
   * checked here.
   *
   * @throws KasComputeException {@code malformed_hex}, {@code wrong_length} or {@code
   *     bad_signature} if the signature is not the old key's over {@link #message()}; {@code
   *     field_out_of_range} if the keys are equal
   */
  public static KeyRotationEntry byNode(NodeId nodeId, NodePublicKey oldKey, NodePublicKey newKey,
      String rotationSignatureHex, long ts, long acceptedUnix, String coordinator) {
    String sig = EntryCodec.normalizeHex(
        "rotation_signature", rotationSignatureHex, EntryCodec.SIGNATURE_HEX);
    KeyRotationEntry entry = new KeyRotationEntry(nodeId, oldKey.hex(), newKey.hex(),
        Authority.NODE, Optional.of(sig), ts, acceptedUnix, coordinator);
    Signatures.verifyRaw(oldKey, entry.message(), HexCodec.decode("rotation_signature", sig));
    return entry;
  }

  /**
   * The entry for a rotation an operator made.
   *
   * @throws KasComputeException {@code field_out_of_range} if the keys are equal
   */
  public static KeyRotationEntry byOperator(NodeId nodeId, NodePublicKey oldKey,
      NodePublicKey newKey, long ts, long acceptedUnix, String coordinator) {
    return new KeyRotationEntry(nodeId, oldKey.hex(), newKey.hex(), Authority.OPERATOR,
        Optional.empty(), ts, acceptedUnix, coordinator);
  }

  /**
   * The bytes a node signs with its old key to rotate to a new one: {@code
   * kc-rotate|<node_id>|<old hex>|<new hex>|<ts>}, the node id as raw UTF-8, keys in lowercase
   * hex, {@code ts} in unsigned decimal.
   *
   * @throws KasComputeException {@code invalid_utf8} if the node id holds a lone surrogate
   */
  public static byte[] message(NodeId nodeId, NodePublicKey oldKey, NodePublicKey newKey, long ts) {
    return message(nodeId, oldKey.hex(), newKey.hex(), ts);
  }

  /** The bytes {@code rotation_signature} signs (see {@link #message(NodeId, NodePublicKey, NodePublicKey, long)}). */
  public byte[] message() {
    return message(nodeId, oldPublicKeyHex, newPublicKeyHex, ts);
  }

  private static byte[] message(NodeId nodeId, String oldHex, String newHex, long ts) {
    return StrictUtf8.encode("kc-rotate|" + nodeId.value() + '|' + oldHex + '|' + newHex + '|'
        + Long.toUnsignedString(ts));
  }

  @Override
  public String kind() {
    return "key_rotation";
  }

  @Override
  public byte[] leafBytes() {
    return leaf().bytes();
  }

  @Override
  public Sha256Digest leafHash() {
    return leaf().leafHash();
  }

  private EntryCodec.Leaf leaf() {
    EntryCodec.Leaf leaf = new EntryCodec.Leaf()
        .u64("accepted_unix", acceptedUnix)
        .string("by", by.wireName())
        .string("coordinator", coordinator)
        .string("kind", "key_rotation")
        .string("new_public_key_hex", newPublicKeyHex)
        .string("node_id", nodeId.value())
        .string("old_public_key_hex", oldPublicKeyHex);
    if (rotationSignatureHex.isPresent()) {
      leaf.string("rotation_signature", rotationSignatureHex.get());
    }
    return leaf.u64("ts", ts);
  }
}
