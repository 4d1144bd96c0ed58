package io.kascompute.crypto.ledger;

import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** Signs C2SP notes with an Ed25519 key under a key name (for a ledger: the checkpoint origin). */
public final class NoteSigner {
  private final NodeKeyPair keys;
  private final NoteVerifierKey verifierKey;

  private NoteSigner(NodeKeyPair keys, NoteVerifierKey verifierKey) {
    this.keys = keys;
    this.verifierKey = verifierKey;
  }

  /**
   * A signer of {@code keys} under {@code keyName}.
   *
   * @throws io.kascompute.core.KasComputeException {@code malformed_note} for an empty name or one
   *     holding a space, a {@code +} or a control character
   */
  public static NoteSigner create(String keyName, NodeKeyPair keys) {
    Objects.requireNonNull(keys, "keys");
    return new NoteSigner(keys, NoteVerifierKey.of(keyName, keys.publicKey()));
  }

  /** The key name. */
  public String keyName() {
    return verifierKey.keyName();
  }

  /** The verifier key that checks this signer's notes. */
  public NoteVerifierKey verifierKey() {
    return verifierKey;
  }

  /**
   * The signed note of {@code text}: the text, a blank line and this signer's signature line.
   *
   * @throws io.kascompute.core.KasComputeException {@code malformed_note} if the text is empty,
   *     does not end in a newline, or holds a control character other than newline or a lone
   *     surrogate
   */
  public String sign(String text) {
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw NoteText.malformed("a note text must be non-empty and end with a newline");
    }
    NoteText.checkText(text, "the note text");
    byte[] signature = Signatures.signRaw(keys, text.getBytes(StandardCharsets.UTF_8));
    byte[] line = ByteBuffer.allocate(4 + signature.length)
        .putInt(verifierKey.keyId()).put(signature).array();
    String note = text + "\n" + SignedNote.SIGNATURE_PREFIX + keyName() + " "
        + Base64.getEncoder().encodeToString(line) + "\n";
    if (note.getBytes(StandardCharsets.UTF_8).length > SignedNote.MAX_NOTE_BYTES) {
      throw NoteText.malformed("the signed note would exceed " + SignedNote.MAX_NOTE_BYTES
          + " bytes");
    }
    return note;
  }

  @Override
  public String toString() {
    return "NoteSigner[" + verifierKey.vkey() + "]";
  }
}
