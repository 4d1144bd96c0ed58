package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.ledger.AuditReport;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.InMemorySubtreeHashes;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerAuditor;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.NoteSigner;
import io.kascompute.crypto.ledger.NoteVerifierKey;
import io.kascompute.crypto.ledger.SignedNote;
import io.kascompute.crypto.ledger.TaskEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger against published vectors (the CT/Trillian RFC 6962 tree data, the Go signed-note
 * example) and against the examples an independent Python implementation computed from the spec.
 */
class LedgerVectorsTest {
  private static final String DIR = "/io/kascompute/testkit/vectors/ledger/";

  static JsonObject load(String name) {
    try (InputStream in = LedgerVectorsTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as(name).isNotNull();
      return (JsonObject) StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxBytes(1 << 22))
          .read(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String str(JsonValue o, String key) {
    return ((JsonString) ((JsonObject) o).members().get(key)).value();
  }

  static long num(JsonValue o, String key) {
    return ((JsonNumber) ((JsonObject) o).members().get(key)).unsignedLongValue(key);
  }

  static List<JsonValue> arr(JsonValue o, String key) {
    return ((JsonArray) ((JsonObject) o).members().get(key)).elements();
  }

  static List<Sha256Digest> hashes(JsonValue o, String key) {
    List<Sha256Digest> out = new ArrayList<>();
    for (JsonValue v : arr(o, key)) {
      out.add(Sha256Digest.fromHex(((JsonString) v).value()));
    }
    return out;
  }

  record Tree(List<byte[]> leaves, InMemorySubtreeHashes hashes, List<Sha256Digest> roots) {}

  static Tree tree(List<byte[]> leaves) {
    InMemorySubtreeHashes hashes = InMemorySubtreeHashes.create();
    CompactRange range = CompactRange.empty();
    List<Sha256Digest> roots = new ArrayList<>();
    roots.add(range.root());
    for (byte[] leaf : leaves) {
      range.append(MerkleTree.leafHash(leaf), hashes);
      roots.add(range.root());
    }
    return new Tree(leaves, hashes, roots);
  }

  @Test
  void everyCertificateTransparencyRootAndProofIsReproducedAndVerifies() {
    JsonObject v = load("rfc6962_ct_vectors.json");
    List<byte[]> leaves = new ArrayList<>();
    for (JsonValue l : arr(v, "leaves_hex")) {
      leaves.add(HexCodec.decode("leaf", ((JsonString) l).value()));
    }
    Tree t = tree(leaves);
    assertThat(t.roots()).isEqualTo(hashes(v, "roots_by_size"));
    for (int n = 0; n <= leaves.size(); n++) {
      assertThat(MerkleTree.root(n, t.hashes())).isEqualTo(t.roots().get(n));
      assertThat(MerkleTree.root(leaves.subList(0, n))).isEqualTo(t.roots().get(n));
    }
    for (JsonValue c : arr(v, "inclusion")) {
      long index = num(c, "index");
      long size = num(c, "size");
      List<Sha256Digest> path = hashes(c, "path");
      assertThat(MerkleTree.inclusionProof(index, size, t.hashes())).isEqualTo(path);
      MerkleTree.verifyInclusion(index, size, MerkleTree.leafHash(leaves.get((int) index)), path,
          t.roots().get((int) size));
    }
    for (JsonValue c : arr(v, "consistency")) {
      long first = num(c, "first");
      long second = num(c, "second");
      List<Sha256Digest> path = hashes(c, "path");
      assertThat(MerkleTree.consistencyProof(first, second, t.hashes())).isEqualTo(path);
      MerkleTree.verifyConsistency(first, second, t.roots().get((int) first),
          t.roots().get((int) second), path);
    }
    // every other pair of the eight-leaf tree verifies too
    for (int n = 1; n <= 8; n++) {
      for (int i = 0; i < n; i++) {
        MerkleTree.verifyInclusion(i, n, MerkleTree.leafHash(leaves.get(i)),
            MerkleTree.inclusionProof(i, n, t.hashes()), t.roots().get(n));
      }
      for (int m = 0; m <= n; m++) {
        MerkleTree.verifyConsistency(m, n, t.roots().get(m), t.roots().get(n),
            MerkleTree.consistencyProof(m, n, t.hashes()));
      }
    }
  }

  @Test
  void theGoSignedNoteExampleVerifiesWithItsVerifierKeyAndIsReproduced() {
    JsonObject v = load("signed_note_go_example.json");
    NoteVerifierKey key = NoteVerifierKey.parse(str(v, "vkey"));
    assertThat(key.keyName()).isEqualTo("PeterNeumann");
    assertThat(key.keyIdHex()).isEqualTo("c74f20a3");
    assertThat(key.vkey()).isEqualTo(str(v, "vkey"));
    assertThat(SignedNote.open(str(v, "note"), List.of(key))).isEqualTo(str(v, "text"));
    SignedNote note = SignedNote.parse(str(v, "note"));
    assertThat(note.signatures()).singleElement()
        .satisfies(s -> assertThat(s.keyId()).isEqualTo(0xc74f20a3));
    // skey = PRIVATE+KEY+<name>+<id>+base64(0x01 || seed)
    String skey = str(v, "skey");
    byte[] seed = Base64.getDecoder().decode(skey.substring(skey.lastIndexOf("+A") + 1));
    assertThat(seed[0]).isEqualTo((byte) 1);
    NodeKeyPair keys = NodeKeyPair.fromSeed(java.util.Arrays.copyOfRange(seed, 1, 33));
    assertThat(keys.publicKey()).isEqualTo(key.publicKey());
    NoteSigner signer = NoteSigner.create("PeterNeumann", keys);
    assertThat(signer.sign(str(v, "text"))).isEqualTo(str(v, "note"));
    assertThatThrownBy(() -> SignedNote.open(str(v, "note").replace("cryptography", "Cryptography"),
        List.of(key))).isInstanceOfSatisfying(KasComputeException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.BAD_SIGNATURE));
    assertThatThrownBy(() -> SignedNote.open(str(v, "note"),
        List.of(NoteVerifierKey.of("PeterNeumann", NodeKeyPair.fromSeedHex("07".repeat(32))
            .publicKey())))).isInstanceOfSatisfying(KasComputeException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.MISSING_SIGNATURE));
  }

  @Test
  void theIndependentExamplesAreReproducedByteForByte() throws IOException {
    JsonObject v = load("kascompute_ledger_examples.json");
    NodeKeyPair node = NodeKeyPair.fromSeedHex(str(v, "node_seed_hex"));
    NodeKeyPair next = NodeKeyPair.fromSeedHex(str(v, "next_seed_hex"));
    NodeKeyPair coordinator = NodeKeyPair.fromSeedHex(str(v, "coordinator_seed_hex"));
    String origin = str(v, "ledger_origin");

    List<byte[]> leaves = new ArrayList<>();
    List<LedgerEntry> entries = new ArrayList<>();
    for (JsonValue e : arr(v, "entries")) {
      byte[] leaf = str(e, "leaf").getBytes(StandardCharsets.UTF_8);
      LedgerEntry entry = LedgerEntry.parse(leaf);
      assertThat(entry.leafBytes()).isEqualTo(leaf);
      assertThat(entry.leafHash().hex()).isEqualTo(str(e, "leaf_hash"));
      leaves.add(leaf);
      entries.add(entry);
    }
    // rebuild each entry with the SDK's signer and factories: same signatures, same bytes
    JobEntry job = (JobEntry) entries.get(0);
    assertThat(JobEntry.digest(job.payload(),
        ProofSigner.of(node).signJobProof(job.payload()).signature(), node.publicKey(),
        job.acceptedUnix(), job.coordinator()).leafBytes()).isEqualTo(leaves.get(0));
    JobEntry launcher = (JobEntry) entries.get(1);
    assertThat(launcher.payload().jobId()).isEqualTo(-1L); // 2^64-1, exact
    assertThat(JobEntry.launcher(launcher.payload(),
        ProofSigner.of(node).signLauncherJobProof(launcher.payload()).signature(),
        node.publicKey(), launcher.acceptedUnix(), launcher.coordinator()).leafBytes())
        .isEqualTo(leaves.get(1));
    TaskEntry task = (TaskEntry) entries.get(2);
    assertThat(TaskEntry.of(task.payload(),
        ProofSigner.of(node).signTaskProof(task.payload()).signature(), node.publicKey(),
        task.acceptedUnix(), task.coordinator()).leafBytes()).isEqualTo(leaves.get(2));
    KeyRotationEntry rotation = (KeyRotationEntry) entries.get(3);
    byte[] message = KeyRotationEntry.message(NodeId.of("kc_node_01"), node.publicKey(),
        next.publicKey(), rotation.ts());
    assertThat(KeyRotationEntry.byNode(rotation.nodeId(), node.publicKey(), next.publicKey(),
        HexCodec.encode(Signatures.signRaw(node, message)), rotation.ts(),
        rotation.acceptedUnix(), rotation.coordinator()).leafBytes()).isEqualTo(leaves.get(3));

    Tree t = tree(leaves);
    assertThat(t.roots()).isEqualTo(hashes(v, "roots"));
    for (JsonValue c : arr(v, "inclusion")) {
      long index = num(c, "index");
      long size = num(c, "size");
      assertThat(MerkleTree.inclusionProof(index, size, t.hashes())).isEqualTo(hashes(c, "hashes"));
    }
    for (JsonValue c : arr(v, "consistency")) {
      assertThat(MerkleTree.consistencyProof(num(c, "first"), num(c, "second"), t.hashes()))
          .isEqualTo(hashes(c, "hashes"));
    }
    NoteSigner signer = NoteSigner.create(origin, coordinator);
    assertThat(signer.verifierKey().vkey()).isEqualTo(str(v, "vkey"));
    for (JsonValue c : arr(v, "checkpoints")) {
      int size = (int) num(c, "size");
      Checkpoint checkpoint = new Checkpoint(origin, size, t.roots().get(size));
      assertThat(checkpoint.text()).isEqualTo(str(c, "text"));
      assertThat(checkpoint.sign(signer)).isEqualTo(str(c, "note"));
      assertThat(Checkpoint.open(str(c, "note"), NoteVerifierKey.parse(str(v, "vkey"))))
          .isEqualTo(checkpoint);
      assertThat(checkpoint.anchorCommitmentHex()).isEqualTo(str(c, "anchor_hex"));

      ByteArrayOutputStream export = new ByteArrayOutputStream();
      leaves.forEach(l -> {
        export.writeBytes(l);
        export.write('\n');
      });
      AuditReport report = LedgerAuditor.create(ProofVerifier.create(), Runnable::run, 1)
          .audit(checkpoint, new ByteArrayInputStream(export.toByteArray()), f -> { });
      assertThat(report.passed()).as("audit of the first %d examples", size).isTrue();
      assertThat(report.entriesBeyond()).isEqualTo(leaves.size() - size);
    }
    // the wire-facts payload of the first entry, and the job payload digest
    assertThat(((JobEntry) entries.get(0)).proofHashHex())
        .contains("ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a");
    assertThat(new JobProofPayload(NodeId.of("kc_node_01"), java.util.Optional.empty(), 123, 42,
        "sim", 150, "launcher-miner/0.2.0", 1_710_000_000L).digest().hex())
        .isEqualTo(job.proofHashHex().orElseThrow());
  }
}
