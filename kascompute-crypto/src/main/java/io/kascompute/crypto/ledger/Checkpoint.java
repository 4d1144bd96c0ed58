package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint of the ledger: the origin line, the tree size in decimal and the root
 * hash in base64, each followed by a newline, with no extension lines. A coordinator signs it as
 * a signed note whose key name is the origin.
 *
 * <p>Its {@link #anchorCommitment() anchor commitment} is the 76-byte string a host puts into an
 * external chain's transaction payload: {@code "KCL"}, version {@code 0x01}, SHA-256 of the
 * origin's UTF-8 bytes, the size as 8 bytes big-endian, the 32-byte root.
 *
 * @param origin the log's identity: non-empty, no control characters
 * @param size the number of leaves, 0 to 2^63-1
 * @param root the RFC 9162 root of those leaves
 */
public record Checkpoint(String origin, long size, Sha256Digest root) {
  /** The length of {@link #anchorCommitment()} in bytes. */
  public static final int ANCHOR_LENGTH = 76;
  /** The version byte of the anchor commitment. */
  public static final byte ANCHOR_VERSION = 0x01;

  private static final byte[] ANCHOR_MAGIC = {'K', 'C', 'L'};

  /**
   * Checks the origin and the size.
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_NOTE} for an empty origin or one with
   *     a control character; {@link ErrorCode#FIELD_OUT_OF_RANGE} for a negative size
   */
  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(root, "root");
    if (origin.isEmpty()) {
      throw NoteText.malformed("a checkpoint's origin must not be empty");
    }
    NoteText.checkText(origin, "the checkpoint origin");
    if (origin.indexOf('\n') >= 0) {
      throw NoteText.malformed("a checkpoint's origin is one line");
    }
    if (size < 0) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "a checkpoint's tree size must not be negative, got " + size);
    }
  }

  /**
   * Parses a checkpoint's note text: exactly three lines, each ending in a newline.
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_NOTE} unless the text is an origin
   *     line, a tree size in decimal without leading zeros (at most 2^63-1) and the base64 of a
   *     32-byte root, with nothing after them
   */
  public static Checkpoint parse(String text) {
    NoteText.checkText(text, "the checkpoint");
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw NoteText.malformed("a checkpoint's text ends with a newline");
    }
    List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw NoteText.malformed("a checkpoint has an origin, a tree size and a root hash line");
    }
    if (lines.size() > 3) {
      throw NoteText.malformed("a KASCompute checkpoint has no extension lines");
    }
    String sizeLine = lines.get(1);
    boolean digits = !sizeLine.isEmpty() && sizeLine.length() <= 19
        && (sizeLine.length() == 1 || sizeLine.charAt(0) != '0')
        && sizeLine.chars().allMatch(c -> c >= '0' && c <= '9');
    long size;
    try {
      size = digits ? Long.parseLong(sizeLine) : -1;
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 0) {
      throw NoteText.malformed("a checkpoint's tree size is decimal digits without leading zeros"
          + " up to 2^63-1, got \"" + sizeLine + "\"");
    }
    byte[] root = NoteText.base64(lines.get(2), "the checkpoint's root hash");
    if (root.length != Sha256Digest.LENGTH) {
      throw NoteText.malformed("a checkpoint's root hash has 32 bytes, got " + root.length);
    }
    return new Checkpoint(lines.get(0), size, Sha256Digest.of(root));
  }

  /**
   * Verifies a signed checkpoint note with the log's key and parses it; the key's name must be
   * the origin.
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_NOTE} for a malformed note or
   *     checkpoint, or an origin that is not the key's name; {@link ErrorCode#MISSING_SIGNATURE}
   *     if the note has no signature by the key; {@link ErrorCode#BAD_SIGNATURE} if it does not
   *     verify
   */
  public static Checkpoint open(String signedNote, NoteVerifierKey key) {
    Checkpoint c = parse(SignedNote.open(signedNote, List.of(key)));
    if (!c.origin.equals(key.keyName())) {
      throw NoteText.malformed("the checkpoint's origin \"" + c.origin
          + "\" is not the name of the key that signed it, \"" + key.keyName() + "\"");
    }
    return c;
  }

  /** The note text: {@code <origin>\n<size>\n<base64 root>\n}. */
  public String text() {
    return origin + '\n' + size + '\n' + Base64.getEncoder().encodeToString(root.toByteArray())
        + '\n';
  }

  /**
   * The signed note of this checkpoint.
   *
   * @throws IllegalArgumentException if the signer's key name is not the origin
   */
  public String sign(NoteSigner signer) {
    if (!signer.keyName().equals(origin)) {
      throw new IllegalArgumentException("a checkpoint of " + origin + " is signed under that"
          + " name, not under " + signer.keyName());
    }
    return signer.sign(text());
  }

  /**
   * The 76-byte anchor commitment: {@code 4b 43 4c} ("KCL"), {@code 01}, SHA-256(origin as UTF-8),
   * the size as 8 bytes big-endian, the root.
   */
  public byte[] anchorCommitment() {
    return ByteBuffer.allocate(ANCHOR_LENGTH)
        .put(ANCHOR_MAGIC)
        .put(ANCHOR_VERSION)
        .put(Sha256Digest.hash(origin.getBytes(StandardCharsets.UTF_8)).toByteArray())
        .putLong(size)
        .put(root.toByteArray())
        .array();
  }

  /** The anchor commitment as 152 lowercase hex characters. */
  public String anchorCommitmentHex() {
    return HexCodec.encode(anchorCommitment());
  }
}
