package io.kascompute.crypto.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The streaming auditor on small ledgers, honest and not. */
class LedgerAuditorTest {
  static final NodeKeyPair A = NodeKeyPair.fromSeedHex("01".repeat(32));
  static final NodeKeyPair A2 = NodeKeyPair.fromSeedHex("02".repeat(32));
  static final NodeKeyPair B = NodeKeyPair.fromSeedHex("03".repeat(32));
  static final NodeKeyPair MINER = NodeKeyPair.fromSeedHex("04".repeat(32));
  static final ExecutorService POOL = Executors.newFixedThreadPool(2);
  static final String ORIGIN = "test.example/ledger";

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  static JobEntry job(NodeKeyPair k, String node, long jobId, long units) {
    JobProofPayload p = new JobProofPayload(NodeId.of(node), Optional.empty(), jobId, units, "sim",
        10, "v", 1000 + jobId);
    return JobEntry.digest(p, ProofSigner.of(k).signJobProof(p).signature(), k.publicKey(), 5, "c1");
  }

  static JobEntry launcher(NodeKeyPair k, String node, long jobId, long units) {
    JobProofPayload p = new JobProofPayload(NodeId.of(node), Optional.empty(), jobId, units, "sim",
        10, "protocol-v1", 1000 + jobId);
    return JobEntry.launcher(p, ProofSigner.of(k).signLauncherJobProof(p).signature(),
        k.publicKey(), 5, "c2");
  }

  static JobEntry minerJob(String node, long jobId, long units) {
    JobProofPayload p = new JobProofPayload(NodeId.of(node), Optional.of("miner-1"), jobId, units,
        "sim", 10, "v", 1000 + jobId);
    return JobEntry.digest(p, ProofSigner.of(MINER).signJobProof(p).signature(),
        MINER.publicKey(), 5, "c1");
  }

  static TaskEntry task(NodeKeyPair k, String node, String taskId, long units) {
    TaskProofPayload p = new TaskProofPayload(NodeId.of(node), RunId.of("run-1"), TaskId.of(taskId),
        Sha256Digest.hash(taskId.getBytes(StandardCharsets.UTF_8)), units, 3, "v", 2000);
    return TaskEntry.of(p, ProofSigner.of(k).signTaskProof(p).signature(), k.publicKey(), 6, "c1");
  }

  static KeyRotationEntry rotate(String node, NodeKeyPair from, NodeKeyPair to, long ts) {
    byte[] m = KeyRotationEntry.message(NodeId.of(node), from.publicKey(), to.publicKey(), ts);
    return KeyRotationEntry.byNode(NodeId.of(node), from.publicKey(), to.publicKey(),
        HexCodec.encode(Signatures.signRaw(from, m)), ts, 7, "c1");
  }

  static List<byte[]> leaves(List<? extends LedgerEntry> entries) {
    List<byte[]> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.leafBytes()));
    return out;
  }

  static byte[] export(List<byte[]> leaves) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : leaves) {
      out.writeBytes(l);
      out.write('\n');
    }
    return out.toByteArray();
  }

  static Checkpoint checkpoint(List<byte[]> leaves) {
    return new Checkpoint(ORIGIN, leaves.size(), MerkleTree.root(leaves));
  }

  record Result(AuditReport report, List<AuditReport.EntryFailure> failures) {}

  static Result audit(Checkpoint c, byte[] export, LedgerAuditor auditor) throws IOException {
    List<AuditReport.EntryFailure> failures = new ArrayList<>();
    AuditReport r = auditor.audit(c, new ByteArrayInputStream(export), failures::add);
    assertThat(r.failures()).isEqualTo(failures.size());
    return new Result(r, failures);
  }

  static Result audit(Checkpoint c, byte[] export) throws IOException {
    return audit(c, export, LedgerAuditor.create(ProofVerifier.create(), POOL, 2));
  }

  static List<LedgerEntry> honest() {
    List<LedgerEntry> e = new ArrayList<>();
    e.add(job(A, "node-a", 1, 10));
    e.add(launcher(B, "node-b", 2, 20));
    e.add(task(A, "node-a", "t1", 30));
    e.add(minerJob("node-b", 3, 40));
    e.add(rotate("node-a", A, A2, 50));
    e.add(job(A2, "node-a", 4, 5));
    e.add(KeyRotationEntry.byOperator(NodeId.of("node-b"), B.publicKey(), A.publicKey(), 60, 8, "c2"));
    e.add(launcher(A, "node-b", 5, 1));
    return e;
  }

  @Test
  void anHonestLedgerPassesWithItsTotals() throws IOException {
    List<byte[]> leaves = leaves(honest());
    Result r = audit(checkpoint(leaves), export(leaves));
    assertThat(r.failures()).isEmpty();
    AuditReport report = r.report();
    assertThat(report.passed()).isTrue();
    assertThat(report.entries()).isEqualTo(8);
    assertThat(report.jobProofs()).isEqualTo(5);
    assertThat(report.taskProofs()).isEqualTo(1);
    assertThat(report.rotations()).isEqualTo(2);
    assertThat(report.nodes().keySet()).containsExactly("miner-1", "node-a", "node-b");
    assertThat(report.nodes().get("node-a").proofs()).isEqualTo(3);
    assertThat(report.nodes().get("node-a").workUnits()).isEqualTo(BigInteger.valueOf(45));
    assertThat(report.nodes().get("node-a").publicKeyHex()).contains(A2.publicKey().hex());
    assertThat(report.nodes().get("node-b").proofs()).isEqualTo(3);
    assertThat(report.nodes().get("node-b").publicKeyHex()).contains(A.publicKey().hex());
    assertThat(report.nodes().get("miner-1").proofs()).isZero();
    assertThat(report.nodes().get("miner-1").publicKeyHex()).contains(MINER.publicKey().hex());

    // the same with a direct executor, with a CRLF-free export that lacks the final newline
    byte[] noFinalNewline = java.util.Arrays.copyOf(export(leaves), export(leaves).length - 1);
    Result direct = audit(checkpoint(leaves), noFinalNewline,
        LedgerAuditor.create(ProofVerifier.create(), Runnable::run, 1));
    assertThat(direct.report().passed()).isTrue();
  }

  @Test
  void keysThatChangeWithoutARotationAndRepeatedSignaturesFail() throws IOException {
    List<LedgerEntry> e = new ArrayList<>(honest());
    e.add(job(B, "node-a", 9, 1));                 // 8: node-a's pinned key is A2
    e.add(e.get(5));                                // 9: an earlier proof again
    e.add(rotate("node-b", B, A2, 70));             // 10: node-b's pin is A (operator rotation)
    e.add(job(A2, "node-a", 10, 1));                // 11: fine
    List<byte[]> leaves = leaves(e);
    Result r = audit(checkpoint(leaves), export(leaves));
    assertThat(r.report().rootMatches()).isTrue();
    assertThat(r.report().passed()).isFalse();
    assertThat(r.failures()).extracting(AuditReport.EntryFailure::index).containsExactly(8L, 9L, 10L);
    assertThat(r.failures()).extracting(AuditReport.EntryFailure::code).containsExactly(
        ErrorCode.KEY_MISMATCH, ErrorCode.REPLAYED_PROOF, ErrorCode.KEY_MISMATCH);
    assertThat(r.report().duplicates()).isEqualTo(1);
    assertThat(r.report().firstFailure()).map(AuditReport.EntryFailure::index).contains(8L);
    assertThat(r.report().failuresByCode()).containsEntry(ErrorCode.KEY_MISMATCH, 2L);
  }

  @Test
  void entriesThatDoNotVerifyFailWithTheVerifiersReason() throws IOException {
    List<byte[]> leaves = leaves(honest());
    String first = new String(leaves.get(0), StandardCharsets.UTF_8);
    // a consistent but false record: other work units, same signature
    leaves.set(0, first.replace("\"work_units\":\"10\"", "\"work_units\":\"11\"")
        .getBytes(StandardCharsets.UTF_8));
    String third = new String(leaves.get(2), StandardCharsets.UTF_8);
    leaves.set(2, third.replace("\"run_id\":\"run-1\"", "\"run_id\":\"run-2\"")
        .getBytes(StandardCharsets.UTF_8));
    leaves.set(3, "not json".getBytes(StandardCharsets.UTF_8));
    Result r = audit(checkpoint(leaves), export(leaves));
    assertThat(r.report().rootMatches()).isTrue();
    assertThat(r.failures()).extracting(AuditReport.EntryFailure::code).containsExactly(
        ErrorCode.HASH_MISMATCH, ErrorCode.HASH_MISMATCH, ErrorCode.MALFORMED_JSON);
    assertThat(r.failures()).extracting(AuditReport.EntryFailure::index).containsExactly(0L, 2L, 3L);
  }

  @Test
  void theRootCoversExactlyTheCheckpointsEntries() throws IOException {
    List<byte[]> leaves = leaves(honest());
    Checkpoint five = checkpoint(leaves.subList(0, 5));
    Result longer = audit(five, export(leaves));
    assertThat(longer.report().passed()).isTrue();
    assertThat(longer.report().entries()).isEqualTo(5);
    assertThat(longer.report().entriesBeyond()).isEqualTo(3);

    Result shorter = audit(checkpoint(leaves), export(leaves.subList(0, 7)));
    assertThat(shorter.failures()).isEmpty();
    assertThat(shorter.report().rootMatches()).isFalse();
    assertThat(shorter.report().entries()).isEqualTo(7);

    List<byte[]> swapped = new ArrayList<>(leaves);
    swapped.set(1, leaves.get(2));
    swapped.set(2, leaves.get(1));
    Result reordered = audit(checkpoint(leaves), export(swapped));
    assertThat(reordered.report().rootMatches()).isFalse();
    assertThat(reordered.report().root()).isEqualTo(MerkleTree.root(swapped));

    Result empty = audit(checkpoint(List.of()), new byte[0]);
    assertThat(empty.report().passed()).isTrue();
    assertThat(empty.report().root()).isEqualTo(MerkleTree.emptyRoot());
  }

  @Test
  void anOverlongLineIsHashedAsItStreamsAndFails() throws IOException {
    List<byte[]> leaves = leaves(honest());
    byte[] huge = new byte[LedgerEntry.MAX_LEAF_BYTES * 3 + 7];
    java.util.Arrays.fill(huge, (byte) 'x');
    leaves.set(4, huge);
    Result r = audit(checkpoint(leaves), export(leaves));
    assertThat(r.report().rootMatches()).isTrue();
    assertThat(r.failures()).extracting(AuditReport.EntryFailure::code)
        .containsExactly(ErrorCode.BODY_TOO_LARGE, ErrorCode.KEY_MISMATCH);
  }

  @Test
  void limitsStopTheAuditWithBodyTooLarge() {
    List<byte[]> leaves = leaves(honest());
    LedgerAuditor small = LedgerAuditor.create(ProofVerifier.create(), POOL, 2).withLimits(2, 100);
    assertThatThrownBy(() -> audit(checkpoint(leaves), export(leaves), small))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE))
        .hasMessageContaining("more than 2 distinct node ids");
    LedgerAuditor few = LedgerAuditor.create(ProofVerifier.create(), POOL, 2).withLimits(10, 7);
    assertThatThrownBy(() -> audit(checkpoint(leaves), export(leaves), few))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE))
        .hasMessageContaining("covers 8 entries");
  }
}
