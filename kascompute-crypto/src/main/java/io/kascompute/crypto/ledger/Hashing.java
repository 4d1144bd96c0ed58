package io.kascompute.crypto.ledger;

import io.kascompute.core.Sha256Digest;
import java.security.DigestException;
import java.security.MessageDigest;

/** RFC 9162 leaf and node hashing on raw byte arrays, with one SHA-256 instance per thread. */
final class Hashing {
  static final int HASH = Sha256Digest.LENGTH;
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(Sha256Digest::newMessageDigest);

  private Hashing() {}

  /** This thread's SHA-256 instance, reset. */
  static MessageDigest sha256() {
    MessageDigest md = SHA256.get();
    md.reset();
    return md;
  }

  /** SHA-256(0x00 || leaf[off, off + len)). */
  static byte[] leaf(MessageDigest md, byte[] leaf, int off, int len) {
    md.update((byte) 0);
    md.update(leaf, off, len);
    return md.digest();
  }

  /** SHA-256(0x01 || left || right). */
  static byte[] node(MessageDigest md, byte[] left, byte[] right) {
    md.update((byte) 1);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** SHA-256(0x01 || left || right) written into {@code out} at {@code outOff}. */
  static void node(MessageDigest md, byte[] left, int leftOff, byte[] right, int rightOff,
      byte[] out, int outOff) {
    md.update((byte) 1);
    md.update(left, leftOff, HASH);
    md.update(right, rightOff, HASH);
    try {
      md.digest(out, outOff, HASH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 always fits 32 bytes", e);
    }
  }
}
