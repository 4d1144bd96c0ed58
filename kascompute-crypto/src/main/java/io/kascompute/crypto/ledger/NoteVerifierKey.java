package io.kascompute.crypto.ledger;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A C2SP signed-note verifier key for Ed25519: a key name, its 32-bit key id and the public key.
 * Its text form ({@link #vkey()}) is {@code <name>+<8 hex digits of key id>+<base64(0x01 ||
 * 32-byte key)>}; the key id is the first four bytes, big-endian, of {@code SHA-256(name || 0x0A
 * || 0x01 || key)}.
 */
public final class NoteVerifierKey {
  /** The signature type byte of Ed25519 in C2SP signed notes. */
  static final byte ED25519 = 0x01;

  private final String keyName;
  private final int keyId;
  private final NodePublicKey publicKey;

  private NoteVerifierKey(String keyName, NodePublicKey publicKey) {
    this.keyName = keyName;
    this.publicKey = publicKey;
    this.keyId = keyId(keyName, publicKey);
  }

  /**
   * The verifier key of {@code publicKey} under {@code keyName}.
   *
   * @throws KasComputeException {@code malformed_note} for an empty name or one holding a space,
   *     a {@code +} or a control character
   */
  public static NoteVerifierKey of(String keyName, NodePublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    return new NoteVerifierKey(NoteText.checkKeyName(keyName), publicKey);
  }

  /**
   * Parses the text form {@code <name>+<hex key id>+<base64(0x01 || key)>}.
   *
   * @throws KasComputeException {@code malformed_note} if it is not of that form, the key is not
   *     an Ed25519 key, or the key id is not the one the name and key give; {@code
   *     invalid_public_key} for a key that is not a valid point
   */
  public static NoteVerifierKey parse(String vkey) {
    int a = vkey.indexOf('+');
    int b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
    if (b < 0) {
      throw NoteText.malformed("a verifier key has the form <name>+<key id>+<key>");
    }
    String name = NoteText.checkKeyName(vkey.substring(0, a));
    String id = vkey.substring(a + 1, b);
    if (id.length() != 8 || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
      throw NoteText.malformed("the key id of a verifier key is 8 hex digits, got \"" + id + "\"");
    }
    byte[] key = NoteText.base64(vkey.substring(b + 1), "the verifier key's key");
    if (key.length != 33 || key[0] != ED25519) {
      throw NoteText.malformed("the verifier key is not an Ed25519 key (0x01 and 32 bytes)");
    }
    byte[] raw = new byte[32];
    System.arraycopy(key, 1, raw, 0, 32);
    NoteVerifierKey parsed = new NoteVerifierKey(name, NodePublicKey.of(raw));
    if (parsed.keyId != (int) Long.parseLong(id, 16)) {
      throw NoteText.malformed("the verifier key's id " + id + " is not the id of its name and key ("
          + parsed.keyIdHex() + ")");
    }
    return parsed;
  }

  /** The first four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || key). */
  static int keyId(String keyName, NodePublicKey key) {
    MessageDigest md = Sha256Digest.newMessageDigest();
    md.update(keyName.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0x0a);
    md.update(ED25519);
    md.update(key.toByteArray());
    byte[] h = md.digest();
    return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
  }

  /** The key name (for a ledger, the checkpoint origin). */
  public String keyName() {
    return keyName;
  }

  /** The 32-bit key id. */
  public int keyId() {
    return keyId;
  }

  /** The key id as 8 lowercase hex digits. */
  public String keyIdHex() {
    return HexFormat.of().toHexDigits(keyId);
  }

  /** The Ed25519 public key. */
  public NodePublicKey publicKey() {
    return publicKey;
  }

  /** The text form {@code <name>+<hex key id>+<base64(0x01 || key)>}. */
  public String vkey() {
    byte[] key = new byte[33];
    key[0] = ED25519;
    System.arraycopy(publicKey.toByteArray(), 0, key, 1, 32);
    return keyName + '+' + keyIdHex() + '+' + Base64.getEncoder().encodeToString(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteVerifierKey k && k.keyName.equals(keyName)
        && k.publicKey.equals(publicKey);
  }

  @Override
  public int hashCode() {
    return keyName.hashCode() * 31 + publicKey.hashCode();
  }

  @Override
  public String toString() {
    return vkey();
  }
}
