package io.kascompute.crypto.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.NodeKeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed notes, verifier keys and checkpoints: forms, signatures, refusals. */
class SignedNoteTest {
  static final NodeKeyPair KEY = NodeKeyPair.fromSeedHex(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  static final NodeKeyPair OTHER = NodeKeyPair.fromSeedHex(
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  static final String ORIGIN = "kascompute.example/ledger";

  static ErrorCode refusal(Runnable r) {
    try {
      r.run();
      return null;
    } catch (KasComputeException e) {
      return e.code();
    }
  }

  @Test
  void aSignedNoteOpensWithItsKeyAndOnlyWithIt() {
    NoteSigner signer = NoteSigner.create(ORIGIN, KEY);
    String note = signer.sign("hello\nworld\n");
    assertThat(note).startsWith("hello\nworld\n\n\u2014 " + ORIGIN + " ").endsWith("\n");
    assertThat(SignedNote.open(note, List.of(signer.verifierKey()))).isEqualTo("hello\nworld\n");
    NoteVerifierKey other = NoteVerifierKey.of(ORIGIN, OTHER.publicKey());
    assertThat(refusal(() -> SignedNote.open(note, List.of(other))))
        .isEqualTo(ErrorCode.MISSING_SIGNATURE);
    assertThat(refusal(() -> SignedNote.open(note.replace("world", "World"),
        List.of(signer.verifierKey())))).isEqualTo(ErrorCode.BAD_SIGNATURE);
    // an unknown signer's line is ignored, a second known signer must verify too
    String cosigned = note + NoteSigner.create("witness.example", OTHER).sign("hello\nworld\n")
        .substring("hello\nworld\n\n".length());
    assertThat(SignedNote.parse(cosigned).signatures()).hasSize(2);
    assertThat(SignedNote.open(cosigned, List.of(signer.verifierKey()))).isEqualTo("hello\nworld\n");
    NoteVerifierKey witness = NoteVerifierKey.of("witness.example", OTHER.publicKey());
    assertThat(SignedNote.open(cosigned, List.of(witness, signer.verifierKey())))
        .isEqualTo("hello\nworld\n");
    String forged = note + "\u2014 witness.example " + note.substring(note.lastIndexOf(' ') + 1);
    assertThat(refusal(() -> SignedNote.open(forged, List.of(signer.verifierKey()))))
        .isNull();
    // same name, other key id: unknown, ignored; known name and id with a bad signature: refused
    String badKnown = note.replace(note.substring(note.lastIndexOf(' ') + 1),
        java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(68)
            .putInt(signer.verifierKey().keyId()).array()) + "\n");
    assertThat(refusal(() -> SignedNote.open(badKnown, List.of(signer.verifierKey()))))
        .isEqualTo(ErrorCode.BAD_SIGNATURE);
  }

  @Test
  void malformedNotesAreRefused() {
    String note = NoteSigner.create(ORIGIN, KEY).sign("text\n");
    ErrorCode m = ErrorCode.MALFORMED_NOTE;
    assertThat(refusal(() -> SignedNote.parse("text\n"))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note.substring(0, note.length() - 1)))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note.replace("\u2014", "-")))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note.replace("text", "te\tx")))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note.replace("=\n", "\n")))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note + "\u2014 a+b AAAAAAA=\n"))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note + "\u2014 x AAAA\n"))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note + "\n"))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(new byte[] {'a', '\n', '\n', (byte) 0xff}))).isEqualTo(m);
    assertThat(refusal(() -> SignedNote.parse(note.replace("text", "text\n\nmore")))).isNull();
    StringBuilder many = new StringBuilder(note);
    String line = note.substring(note.indexOf('\u2014'));
    for (int i = 0; i < SignedNote.MAX_SIGNATURES; i++) {
      many.append(line);
    }
    assertThat(refusal(() -> SignedNote.parse(many.toString()))).isEqualTo(m);
    assertThat(refusal(() -> NoteSigner.create("has space", KEY))).isEqualTo(m);
    assertThat(refusal(() -> NoteSigner.create("a\u00a0b", KEY))).isEqualTo(m);
    assertThat(refusal(() -> NoteSigner.create("", KEY))).isEqualTo(m);
    assertThat(refusal(() -> NoteSigner.create(ORIGIN, KEY).sign("no newline"))).isEqualTo(m);
  }

  @Test
  void verifierKeysRoundTripAndCheckTheirId() {
    NoteVerifierKey k = NoteVerifierKey.of(ORIGIN, KEY.publicKey());
    assertThat(NoteVerifierKey.parse(k.vkey())).isEqualTo(k);
    assertThat(k.vkey()).startsWith(ORIGIN + "+" + k.keyIdHex() + "+A");
    assertThat(NoteVerifierKey.parse(k.vkey().replace(k.keyIdHex(),
        k.keyIdHex().toUpperCase(java.util.Locale.ROOT))).keyId()).isEqualTo(k.keyId());
    ErrorCode m = ErrorCode.MALFORMED_NOTE;
    String wrongId = k.vkey().replace("+" + k.keyIdHex() + "+", "+00000000+");
    assertThat(refusal(() -> NoteVerifierKey.parse(wrongId))).isEqualTo(m);
    assertThat(refusal(() -> NoteVerifierKey.parse(ORIGIN))).isEqualTo(m);
    assertThat(refusal(() -> NoteVerifierKey.parse(k.vkey().replace("+A", "+B")))).isEqualTo(m);
    assertThat(refusal(() -> NoteVerifierKey.parse(k.vkey() + "A"))).isEqualTo(m);
  }

  @Test
  void checkpointsAreThreeLinesSignedUnderTheirOrigin() {
    Checkpoint c = new Checkpoint(ORIGIN, 3, Sha256Digest.hash(new byte[] {1}));
    assertThat(c.text()).isEqualTo(ORIGIN + "\n3\n"
        + java.util.Base64.getEncoder().encodeToString(c.root().toByteArray()) + "\n");
    assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
    NoteSigner signer = NoteSigner.create(ORIGIN, KEY);
    String note = c.sign(signer);
    assertThat(Checkpoint.open(note, signer.verifierKey())).isEqualTo(c);
    assertThatThrownBy(() -> c.sign(NoteSigner.create("other.example", KEY)))
        .isInstanceOf(IllegalArgumentException.class);
    NoteSigner wrongName = NoteSigner.create("other.example", KEY);
    assertThat(refusal(() -> Checkpoint.open(wrongName.sign(c.text()), wrongName.verifierKey())))
        .isEqualTo(ErrorCode.MALFORMED_NOTE);
    String root = java.util.Base64.getEncoder().encodeToString(c.root().toByteArray());
    for (String bad : List.of(ORIGIN + "\n03\n" + root + "\n", ORIGIN + "\n3\n" + root,
        ORIGIN + "\n3\n" + root + "\next\n", "\n3\n" + root + "\n", ORIGIN + "\n-1\n" + root + "\n",
        ORIGIN + "\n9223372036854775808\n" + root + "\n", ORIGIN + "\n3\n" + root.replace("=", "") + "\n",
        ORIGIN + "\n3\nAAAA\n", ORIGIN + "\n\n" + root + "\n")) {
      assertThat(refusal(() -> Checkpoint.parse(bad))).as(bad).isEqualTo(ErrorCode.MALFORMED_NOTE);
    }
    assertThat(Checkpoint.parse(ORIGIN + "\n0\n" + root + "\n").size()).isZero();
  }

  @Test
  void theAnchorCommitmentIsMagicVersionOriginHashSizeAndRoot() {
    Checkpoint c = new Checkpoint(ORIGIN, 0x0102030405060708L, Sha256Digest.hash(new byte[0]));
    byte[] a = c.anchorCommitment();
    assertThat(a).hasSize(Checkpoint.ANCHOR_LENGTH);
    assertThat(new String(a, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("KCL");
    assertThat(a[3]).isEqualTo((byte) 1);
    assertThat(java.util.Arrays.copyOfRange(a, 4, 36))
        .isEqualTo(Sha256Digest.hash(ORIGIN.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toByteArray());
    assertThat(java.util.Arrays.copyOfRange(a, 36, 44)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(java.util.Arrays.copyOfRange(a, 44, 76)).isEqualTo(c.root().toByteArray());
    assertThat(c.anchorCommitmentHex()).hasSize(152).startsWith("4b434c01");
  }
}
