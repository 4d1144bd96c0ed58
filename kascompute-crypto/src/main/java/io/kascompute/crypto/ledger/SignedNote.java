package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.crypto.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, and one or more signature lines
 * {@code — <key name> <base64(4-byte key id || signature)>} (em dash U+2014, space). The text is
 * separated from the signatures by the last blank line; it is valid UTF-8 without control
 * characters other than newline.
 *
 * <p>{@link #parse} checks the form only, so its {@link #text()} is not to be trusted; {@link
 * #open} returns the text once a known key's signature verifies. Verification follows the
 * specification: signatures by unknown keys (another name or another key id) are ignored, every
 * signature by a known key must verify, and at least one must.
 */
public final class SignedNote {
  /** The longest note accepted, in bytes. */
  public static final int MAX_NOTE_BYTES = 65_536;
  /** The most signature lines a note may carry. */
  public static final int MAX_SIGNATURES = 100;

  static final String SIGNATURE_PREFIX = "\u2014 ";

  private final String text;
  private final List<Signature> signatures;

  /**
   * One signature line.
   *
   * @param keyName the key name
   * @param keyId the 32-bit key id
   * @param base64 the line's base64 of the key id followed by the signature bytes
   */
  public record Signature(String keyName, int keyId, String base64) {
    /** Checks that nothing is null. */
    public Signature {
      Objects.requireNonNull(keyName, "keyName");
      Objects.requireNonNull(base64, "base64");
    }

    byte[] signatureBytes() {
      byte[] b = NoteText.base64(base64, "signature");
      return Arrays.copyOfRange(b, 4, b.length);
    }
  }

  private SignedNote(String text, List<Signature> signatures) {
    this.text = text;
    this.signatures = signatures;
  }

  /**
   * Parses a note from its UTF-8 bytes.
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_NOTE} if it is not a well-formed
   *     signed note, is larger than {@value #MAX_NOTE_BYTES} bytes or has more than {@value
   *     #MAX_SIGNATURES} signatures
   */
  public static SignedNote parse(byte[] utf8) {
    if (utf8.length > MAX_NOTE_BYTES) {
      throw NoteText.malformed("the note has " + utf8.length + " bytes; the limit is "
          + MAX_NOTE_BYTES);
    }
    return parse(NoteText.decode(utf8, "the note"));
  }

  /** Parses a note from its text, as {@link #parse(byte[])}. */
  public static SignedNote parse(String note) {
    if (note.length() > MAX_NOTE_BYTES) {
      throw NoteText.malformed("the note is longer than " + MAX_NOTE_BYTES + " bytes");
    }
    NoteText.checkText(note, "the note");
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw NoteText.malformed("the note has no blank line before its signatures");
    }
    String text = note.substring(0, split + 1);
    String sigs = note.substring(split + 2);
    if (sigs.isEmpty() || sigs.charAt(sigs.length() - 1) != '\n') {
      throw NoteText.malformed("the note's signature lines must end with a newline");
    }
    List<Signature> signatures = new ArrayList<>();
    int start = 0;
    while (start < sigs.length()) {
      int end = sigs.indexOf('\n', start);
      if (signatures.size() == MAX_SIGNATURES) {
        throw NoteText.malformed("the note has more than " + MAX_SIGNATURES + " signatures");
      }
      signatures.add(signatureLine(sigs.substring(start, end)));
      start = end + 1;
    }
    return new SignedNote(text, List.copyOf(signatures));
  }

  private static Signature signatureLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw NoteText.malformed("a signature line starts with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      throw NoteText.malformed("a signature line has a key name, a space and a signature");
    }
    String name = NoteText.checkKeyName(rest.substring(0, space));
    String b64 = rest.substring(space + 1);
    byte[] sig = NoteText.base64(b64, "the signature of " + name);
    if (sig.length < 5) {
      throw NoteText.malformed("the signature of " + name + " has no signature after its key id");
    }
    int id = (sig[0] & 0xff) << 24 | (sig[1] & 0xff) << 16 | (sig[2] & 0xff) << 8 | (sig[3] & 0xff);
    return new Signature(name, id, b64);
  }

  /**
   * The verified text of {@code note}: the note must carry a signature by one of the {@code known}
   * keys, and every signature by a known key must verify.
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_NOTE} if the note is not well-formed;
   *     {@link ErrorCode#MISSING_SIGNATURE} if no signature is by a known key; {@link
   *     ErrorCode#BAD_SIGNATURE} if a signature by a known key does not verify
   */
  public static String open(String note, Collection<NoteVerifierKey> known) {
    return parse(note).verify(known);
  }

  /**
   * Verifies this note's signatures against the {@code known} keys and returns its text.
   *
   * @throws KasComputeException {@link ErrorCode#MISSING_SIGNATURE} if no signature is by a known
   *     key; {@link ErrorCode#BAD_SIGNATURE} if a signature by a known key does not verify
   */
  public String verify(Collection<NoteVerifierKey> known) {
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    int verified = 0;
    for (Signature s : signatures) {
      for (NoteVerifierKey k : known) {
        if (k.keyName().equals(s.keyName()) && k.keyId() == s.keyId()) {
          try {
            Signatures.verifyRaw(k.publicKey(), message, s.signatureBytes());
          } catch (KasComputeException e) {
            throw new KasComputeException(ErrorCode.BAD_SIGNATURE, "the signature of "
                + s.keyName() + "+" + k.keyIdHex() + " does not verify over the note text", e);
          }
          verified++;
        }
      }
    }
    if (verified == 0) {
      throw new KasComputeException(ErrorCode.MISSING_SIGNATURE,
          "the note has no signature by a known key (it is signed by "
              + signatures.stream().map(s -> s.keyName() + "+" + String.format("%08x", s.keyId()))
                  .toList() + ")");
    }
    return text;
  }

  /** The text the signatures cover, final newline included. Unverified: see {@link #open}. */
  public String text() {
    return text;
  }

  /** The signature lines, in order. */
  public List<Signature> signatures() {
    return signatures;
  }
}
