package io.kascompute.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 digest, immutable, written on the wire as 64 lowercase hex characters. */
public final class Sha256Digest {
  /** The digest length in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int hashCode;

  private Sha256Digest(byte[] bytes) {
    this.bytes = bytes;
    this.hashCode = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of 32 digest bytes; other lengths are refused with {@link ErrorCode#WRONG_LENGTH}. */
  public static Sha256Digest of(byte[] digest) {
    if (digest.length != LENGTH) {
      throw new KasComputeException(
          ErrorCode.WRONG_LENGTH, "a SHA-256 digest has 32 bytes, not " + digest.length);
    }
    return new Sha256Digest(digest.clone());
  }

  /** Parses 64 hex characters (either case). */
  public static Sha256Digest fromHex(String hex) {
    return new Sha256Digest(HexCodec.decode("sha256 digest", hex, LENGTH));
  }

  /** Computes SHA-256 of the given bytes with the JDK's provider. */
  public static Sha256Digest hash(byte[] data) {
    return new Sha256Digest(newMessageDigest().digest(data));
  }

  /** Computes SHA-256 of {@code len} bytes of {@code data} from {@code off}. */
  public static Sha256Digest hash(byte[] data, int off, int len) {
    MessageDigest md = newMessageDigest();
    md.update(data, off, len);
    return new Sha256Digest(md.digest());
  }

  /** Returns a fresh SHA-256 {@link MessageDigest}. */
  public static MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** A copy of the 32 digest bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The digest byte at {@code index}. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** Compares with raw digest bytes in constant time. */
  public boolean matches(byte[] other) {
    return MessageDigest.isEqual(bytes, other);
  }

  /** The 64 lowercase hex characters. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sha256Digest d && MessageDigest.isEqual(bytes, d.bytes);
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
