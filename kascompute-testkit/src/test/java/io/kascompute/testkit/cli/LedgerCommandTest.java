package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.TaskEntry;
import io.kascompute.testkit.cli.ProofCommandsTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledger fetch}, {@code verify-inclusion}, {@code verify-consistency} and {@code anchor}. */
class LedgerCommandTest {
  static final NodeKeyPair COORDINATOR = NodeKeyPair.fromSeedHex("c0".repeat(32));
  static final NodeKeyPair A = NodeKeyPair.fromSeedHex("0a".repeat(32));
  static final NodeKeyPair A2 = NodeKeyPair.fromSeedHex("0b".repeat(32));
  static final NodeKeyPair B = NodeKeyPair.fromSeedHex("0c".repeat(32));
  static final String ORIGIN = "ledger.test/log";

  @TempDir Path dir;

  /** A small ledger of every entry kind: node a (rotating from A to A2), node b, a miner job. */
  static List<byte[]> ledger(int jobs) {
    List<LedgerEntry> e = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      NodeKeyPair k = i % 2 == 0 ? A : B;
      String node = i % 2 == 0 ? "node-a" : "node-b";
      JobProofPayload p = new JobProofPayload(NodeId.of(node), Optional.empty(), 100 + i, 7 + i,
          "sim", 50, "v1", 1_710_000_000L + i);
      e.add(i % 3 == 1
          ? JobEntry.launcher(p, ProofSigner.of(k).signLauncherJobProof(p).signature(),
              k.publicKey(), 1_710_000_100L + i, "coord-" + (i % 2))
          : JobEntry.digest(p, ProofSigner.of(k).signJobProof(p).signature(), k.publicKey(),
              1_710_000_100L + i, "coord-" + (i % 2)));
    }
    TaskProofPayload t = new TaskProofPayload(NodeId.of("node-b"), RunId.of("run-1"),
        TaskId.of("task-1"), Sha256Digest.hash(new byte[] {1}), 3, 4, "v1", 1_710_000_500L);
    e.add(TaskEntry.of(t, ProofSigner.of(B).signTaskProof(t).signature(), B.publicKey(),
        1_710_000_501L, "coord-1"));
    byte[] m = KeyRotationEntry.message(NodeId.of("node-a"), A.publicKey(), A2.publicKey(), 9);
    e.add(KeyRotationEntry.byNode(NodeId.of("node-a"), A.publicKey(), A2.publicKey(),
        HexCodec.encode(Signatures.signRaw(A, m)), 9, 1_710_000_600L, "coord-0"));
    JobProofPayload after = new JobProofPayload(NodeId.of("node-a"), Optional.empty(), 999, 1,
        "sim", 50, "v1", 1_710_000_700L);
    e.add(JobEntry.digest(after, ProofSigner.of(A2).signJobProof(after).signature(),
        A2.publicKey(), 1_710_000_701L, "coord-0"));
    List<byte[]> leaves = new ArrayList<>();
    e.forEach(x -> leaves.add(x.leafBytes()));
    return leaves;
  }

  static Run run(String... args) {
    return ProofCommandsTest.run(args);
  }

  static JsonObject json(String text) {
    return (JsonObject) StrictJsonReader.withDefaults().read(text.strip());
  }

  Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void fetchDownloadsKeyCheckpointAndEveryEntryInPagesAndTheExportAudits() throws IOException {
    List<byte[]> leaves = ledger(2500);
    try (LedgerTestServer server = LedgerTestServer.start(COORDINATOR, ORIGIN, leaves, 700)) {
      Path out = dir.resolve("export");
      Run fetch = run("ledger", "fetch", "--url", server.url(), "--out", out.toString());
      assertThat(fetch.err()).isEmpty();
      assertThat(fetch.exit()).isZero();
      assertThat(fetch.out()).contains("fetched 2503 entries of " + ORIGIN);
      List<String> lines = Files.readAllLines(out.resolve("entries.jsonl"), StandardCharsets.UTF_8);
      assertThat(lines).hasSize(leaves.size());
      for (int i = 0; i < leaves.size(); i++) {
        assertThat(lines.get(i).getBytes(StandardCharsets.UTF_8)).isEqualTo(leaves.get(i));
      }
      JsonObject key = json(Files.readString(out.resolve("key.json")));
      assertThat(key.members().keySet()).containsExactly("origin", "public_key_hex", "vkey");
      assertThat(Files.readString(out.resolve("checkpoint"))).isEqualTo(server.checkpointNote());
      // ceil(2503 / 700) entry calls of at most 1000, plus key and checkpoint
      assertThat(server.requests.get()).isEqualTo(2 + 4);

      Run audit = run("audit", "--checkpoint", out.resolve("checkpoint").toString(),
          "--vkey", server.signer().verifierKey().vkey(), "--threads", "2",
          out.resolve("entries.jsonl").toString());
      assertThat(audit.exit()).as(audit.out() + audit.err()).isZero();
      assertThat(audit.out()).contains("result      PASS").contains("root        ok")
          .contains("node        node-a: 1251 proofs").contains("node        node-b: 1251 proofs")
          .contains("anchor      4b434c01");
      Run asJson = run("audit", "--checkpoint", out.resolve("checkpoint").toString(),
          "--vkey", out.resolve("key.json").toString(), "--json",
          out.resolve("entries.jsonl").toString());
      assertThat(asJson.exit()).isZero();
      JsonObject report = json(asJson.out());
      assertThat(report.members().get("passed")).isEqualTo(io.kascompute.core.json.JsonBoolean.TRUE);
      assertThat(report.members().get("entries").toString()).isEqualTo("2503");
      assertThat(report.members().get("anchor_hex").toString()).contains(
          Checkpoint.parse(io.kascompute.crypto.ledger.SignedNote.parse(server.checkpointNote())
              .text()).anchorCommitmentHex());
    }
  }

  @Test
  void fetchRefusesACheckpointTheServedKeyDoesNotSign() throws IOException {
    List<byte[]> leaves = ledger(3);
    try (LedgerTestServer server = LedgerTestServer.start(COORDINATOR, ORIGIN, leaves, 1000);
        LedgerTestServer other = LedgerTestServer.start(B, ORIGIN, leaves, 1000)) {
      Run ok = run("ledger", "fetch", "--url", server.url(), "--out", dir.resolve("a").toString());
      assertThat(ok.exit()).isZero();
      Run unreachable = run("ledger", "fetch", "--url", "http://127.0.0.1:1", "--out",
          dir.resolve("b").toString());
      assertThat(unreachable.exit()).isEqualTo(2);
      assertThat(unreachable.err()).startsWith("error: io: ").doesNotContain("\n\n");
      // the other server's checkpoint with this server's key: a signature failure, exit 1
      Path cp = write("other-checkpoint", other.checkpointNote());
      Run audit = run("audit", "--checkpoint", cp.toString(), "--vkey",
          server.signer().verifierKey().vkey(), dir.resolve("a/entries.jsonl").toString());
      assertThat(audit.exit()).isEqualTo(1);
      assertThat(audit.err()).startsWith("error: missing_signature: ");
    }
  }

  @Test
  void singleProofsVerifyFromTheCoordinatorOrFromFilesAndWrongClaimsFail() throws IOException {
    List<byte[]> leaves = ledger(9);
    try (LedgerTestServer server = LedgerTestServer.start(COORDINATOR, ORIGIN, leaves, 1000)) {
      String vkey = server.signer().verifierKey().vkey();
      Path old = write("old", server.checkpointNote());
      Path export = dir.resolve("entries.jsonl");
      Files.write(export, String.join("\n", leaves.stream()
          .map(l -> new String(l, StandardCharsets.UTF_8)).toList()).getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < leaves.size(); i++) {
        Run r = run("ledger", "verify-inclusion", "--index", "" + i, "--entries", export.toString(),
            "--checkpoint", old.toString(), "--vkey", vkey, "--url", server.url());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ok: leaf " + i + " (" + MerkleTree.leafHash(leaves.get(i)).hex());
      }
      Run wrongIndex = run("ledger", "verify-inclusion", "--index", "3", "--leaf-hash",
          MerkleTree.leafHash(leaves.get(4)).hex(), "--checkpoint", old.toString(), "--vkey", vkey,
          "--url", server.url());
      assertThat(wrongIndex.exit()).isEqualTo(1);
      assertThat(wrongIndex.err()).startsWith("error: inclusion_failed: ");

      Path leaf = dir.resolve("leaf");
      Files.write(leaf, (new String(leaves.get(2), StandardCharsets.UTF_8) + "\n")
          .getBytes(StandardCharsets.UTF_8));
      Path proofFile = write("proof.json", "{\"status\":\"ok\",\"data\":{\"hashes\":[" + String.join(",",
          MerkleTree.inclusionProof(2, 5, (l, x) -> tree(leaves).hash(l, x)).stream()
              .map(h -> "\"" + h.hex() + "\"").toList()) + "]},\"error\":null,\"ts\":1}");
      Run fromFiles = run("ledger", "verify-inclusion", "--index", "2", "--size", "5", "--leaf",
          leaf.toString(), "--root", MerkleTree.root(leaves.subList(0, 5)).hex(), "--proof-file",
          proofFile.toString());
      assertThat(fromFiles.exit()).as(fromFiles.err()).isZero();
      // (size 6 or 8 would verify: their paths to leaf 2 have the same shape as size 5's; the
      // checkpoint's signature binds the size to the root)
      Run wrongSize = run("ledger", "verify-inclusion", "--index", "2", "--size", "3", "--leaf",
          leaf.toString(), "--root", MerkleTree.root(leaves.subList(0, 5)).hex(), "--proof-file",
          proofFile.toString());
      assertThat(wrongSize.exit()).isEqualTo(1);

      // the log grows; the old checkpoint is a prefix of the new one
      ledger(20).subList(9, 20).forEach(server::append);
      Path now = write("new", server.checkpointNote());
      Run consistent = run("ledger", "verify-consistency", "--first-checkpoint", old.toString(),
          "--second-checkpoint", now.toString(), "--vkey", vkey, "--url", server.url());
      assertThat(consistent.exit()).as(consistent.err()).isZero();
      assertThat(consistent.out()).startsWith("ok: the tree of size 12 ");
      Run byHashes = run("ledger", "verify-consistency", "--first", "12", "--first-root",
          MerkleTree.root(leaves).hex(), "--second-checkpoint", now.toString(), "--vkey", vkey,
          "--proof", String.join(",", MerkleTree.consistencyProof(12, 23,
              (l, x) -> tree(concat(leaves, ledger(20).subList(9, 20))).hash(l, x)).stream()
              .map(Sha256Digest::hex).toList()));
      assertThat(byHashes.exit()).as(byHashes.err()).isZero();
      Run forked = run("ledger", "verify-consistency", "--first", "12", "--first-root",
          MerkleTree.root(leaves.subList(1, 12)).hex(), "--second-checkpoint", now.toString(),
          "--vkey", vkey, "--url", server.url());
      assertThat(forked.exit()).isEqualTo(1);
      assertThat(forked.err()).startsWith("error: consistency_failed: ");

      Run anchor = run("ledger", "anchor", "--checkpoint", now.toString());
      assertThat(anchor.exit()).isZero();
      Checkpoint c = Checkpoint.open(server.checkpointNote(), server.signer().verifierKey());
      assertThat(anchor.out()).isEqualTo(c.anchorCommitmentHex() + "\n");
      Run verifiedAnchor = run("ledger", "anchor", "--checkpoint", now.toString(), "--vkey", vkey);
      assertThat(verifiedAnchor.out()).isEqualTo(anchor.out());
      Run badAnchor = run("ledger", "anchor", "--checkpoint", now.toString(), "--vkey",
          LedgerTestServerKeys.other(ORIGIN));
      assertThat(badAnchor.exit()).isEqualTo(1);
    }
  }

  @Test
  void unreadableInputAndUsageErrorsExitTwo() throws IOException {
    Run noSub = run("ledger");
    assertThat(noSub.exit()).isEqualTo(2);
    Run missing = run("ledger", "anchor", "--checkpoint", dir.resolve("none").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: io: ");
    Path garbage = write("garbage", "not a note\n");
    Run malformed = run("ledger", "anchor", "--checkpoint", garbage.toString());
    assertThat(malformed.exit()).isEqualTo(2);
    assertThat(malformed.err()).startsWith("error: malformed_note: ");
    Run badKey = run("audit", "--checkpoint", garbage.toString(), "--vkey", "nonsense",
        garbage.toString());
    assertThat(badKey.exit()).isEqualTo(2);
    assertThat(badKey.err()).startsWith("error: malformed_note: ").hasLineCount(1);
    Run bothRoots = run("ledger", "verify-inclusion", "--index", "0", "--leaf-hash",
        "00".repeat(32), "--root", "00".repeat(32), "--checkpoint", "x", "--proof", "");
    assertThat(bothRoots.exit()).isEqualTo(2);
    Run noSize = run("ledger", "verify-inclusion", "--index", "0", "--leaf-hash",
        "00".repeat(32), "--root", "00".repeat(32), "--proof", "");
    assertThat(noSize.exit()).isEqualTo(2);
    Run outside = run("ledger", "verify-inclusion", "--index", "5", "--size", "5", "--leaf-hash",
        "00".repeat(32), "--root", "00".repeat(32), "--proof", "");
    assertThat(outside.exit()).isEqualTo(2);
    assertThat(outside.err()).startsWith("error: field_out_of_range: ");
  }

  static io.kascompute.crypto.ledger.InMemorySubtreeHashes tree(List<byte[]> leaves) {
    io.kascompute.crypto.ledger.InMemorySubtreeHashes h =
        io.kascompute.crypto.ledger.InMemorySubtreeHashes.create();
    io.kascompute.crypto.ledger.CompactRange r = io.kascompute.crypto.ledger.CompactRange.empty();
    leaves.forEach(l -> r.append(MerkleTree.leafHash(l), h));
    return h;
  }

  static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
    List<byte[]> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Verifier keys of other keys under a name. */
  static final class LedgerTestServerKeys {
    private LedgerTestServerKeys() {}

    static String other(String origin) {
      return io.kascompute.crypto.ledger.NoteVerifierKey.of(origin, B.publicKey()).vkey();
    }
  }
}
