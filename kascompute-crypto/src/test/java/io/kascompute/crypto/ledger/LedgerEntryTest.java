package io.kascompute.crypto.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Entry leaves: canonical bytes that an RFC 8785 implementation rebuilds, and a strict reader. */
class LedgerEntryTest {
  static final NodeKeyPair NODE = NodeKeyPair.fromSeedHex(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  static final NodeKeyPair NEXT = NodeKeyPair.fromSeedHex(
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

  static JobEntry job(String node, Optional<String> miner, long jobId, long units, String mode,
      long elapsed, String version, long ts, boolean launcher) {
    JobProofPayload p = new JobProofPayload(NodeId.of(node), miner, jobId, units, mode, elapsed,
        version, ts);
    if (launcher) {
      String sig = ProofSigner.of(NODE).signLauncherJobProof(p).signature();
      return JobEntry.launcher(p, sig, NODE.publicKey(), 1_710_000_005L, "coord-a");
    }
    String sig = ProofSigner.of(NODE).signJobProof(p).signature();
    return JobEntry.digest(p, sig, NODE.publicKey(), 1_710_000_005L, "coord-a");
  }

  static TaskEntry task(String node, String run, String taskId, long units, long ts) {
    TaskProofPayload p = new TaskProofPayload(NodeId.of(node), RunId.of(run), TaskId.of(taskId),
        Sha256Digest.hash(taskId.getBytes(StandardCharsets.UTF_8)), units, 20, "sdk/1", ts);
    String sig = HexCodec.encode(Signatures.signRaw(NODE, p.digest().toByteArray()));
    return TaskEntry.of(p, sig, NODE.publicKey(), 1_710_000_006L, "coord-b");
  }

  static KeyRotationEntry rotation(String node, long ts) {
    byte[] m = KeyRotationEntry.message(NodeId.of(node), NODE.publicKey(), NEXT.publicKey(), ts);
    return KeyRotationEntry.byNode(NodeId.of(node), NODE.publicKey(), NEXT.publicKey(),
        HexCodec.encode(Signatures.signRaw(NODE, m)), ts, 1_710_000_007L, "coord-a");
  }

  /** The entry's object built member by member, canonicalized by the SDK's RFC 8785 writer. */
  static byte[] independentLeaf(LedgerEntry e) {
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put("kind", new JsonString(e.kind()));
    m.put("node_id", new JsonString(e.nodeId().value()));
    m.put("accepted_unix", new JsonString(Long.toUnsignedString(e.acceptedUnix())));
    m.put("coordinator", new JsonString(e.coordinator()));
    if (e instanceof JobEntry j) {
      m.put("scheme", new JsonString(j.scheme().wireName()));
      j.payload().minerId().ifPresent(x -> m.put("miner_id", new JsonString(x)));
      m.put("job_id", new JsonString(Long.toUnsignedString(j.payload().jobId())));
      m.put("work_units", new JsonString(Long.toUnsignedString(j.payload().workUnits())));
      m.put("workload_mode", new JsonString(j.payload().workloadMode()));
      m.put("elapsed_ms", new JsonString(Long.toUnsignedString(j.payload().elapsedMs())));
      m.put("client_version", new JsonString(j.payload().clientVersion()));
      m.put("ts", new JsonString(Long.toUnsignedString(j.payload().ts())));
      m.put("signature", new JsonString(j.signatureHex()));
      m.put("public_key_hex", new JsonString(j.publicKeyHex()));
      j.proofHashHex().ifPresent(x -> m.put("proof_hash", new JsonString(x)));
    } else if (e instanceof TaskEntry t) {
      m.put("scheme", new JsonString("digest"));
      m.put("run_id", new JsonString(t.payload().runId().value()));
      m.put("task_id", new JsonString(t.payload().taskId().value()));
      m.put("task_hash", new JsonString(t.payload().taskHash().hex()));
      m.put("work_units", new JsonString(Long.toUnsignedString(t.payload().workUnits())));
      m.put("elapsed_ms", new JsonString(Long.toUnsignedString(t.payload().elapsedMs())));
      m.put("client_version", new JsonString(t.payload().clientVersion()));
      m.put("ts", new JsonString(Long.toUnsignedString(t.payload().ts())));
      m.put("signature", new JsonString(t.signatureHex()));
      m.put("public_key_hex", new JsonString(t.publicKeyHex()));
      m.put("proof_hash", new JsonString(t.proofHashHex()));
    } else {
      KeyRotationEntry r = (KeyRotationEntry) e;
      m.put("old_public_key_hex", new JsonString(r.oldPublicKeyHex()));
      m.put("new_public_key_hex", new JsonString(r.newPublicKeyHex()));
      m.put("by", new JsonString(r.by().wireName()));
      r.rotationSignatureHex().ifPresent(x -> m.put("rotation_signature", new JsonString(x)));
      m.put("ts", new JsonString(Long.toUnsignedString(r.ts())));
    }
    return CanonicalJson.write(new JsonObject(m));
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().all().ofMaxLength(12)
        .filter(s -> s.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE));
  }

  @Provide
  Arbitrary<LedgerEntry> entries() {
    Arbitrary<Long> u64 = Arbitraries.longs();
    Arbitrary<JobEntry> jobs = Combinators.combine(text(), text().optional(), u64, u64, text(),
        u64, text(), Arbitraries.of(true, false))
        .as((n, m, j, w, mode, e, v, l) -> job(n, l ? Optional.empty() : m, j, w, mode, e, v,
            j ^ w, l));
    Arbitrary<TaskEntry> tasks = Combinators.combine(text(), text(), text(), u64, u64)
        .as(LedgerEntryTest::task);
    Arbitrary<KeyRotationEntry> rotations = Combinators.combine(text(), u64)
        .as(LedgerEntryTest::rotation);
    return Arbitraries.oneOf(jobs, tasks, rotations);
  }

  @Property(tries = 300)
  void leavesAreTheRfc8785FormOfTheEntryObjectAndReadBack(@ForAll("entries") LedgerEntry e) {
    byte[] leaf = e.leafBytes();
    assertThat(leaf).isEqualTo(independentLeaf(e));
    assertThat(leaf).isEqualTo(CanonicalJson.canonicalize(leaf));
    assertThat(leaf).doesNotContain((byte) '\n');
    assertThat(LedgerEntry.parse(leaf)).isEqualTo(e);
    assertThat(e.leafHash()).isEqualTo(MerkleTree.leafHash(leaf));
  }

  @Property(tries = 300)
  void theReaderAcceptsNoByteStringButTheCanonicalOne(@ForAll("entries") LedgerEntry e,
      @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll byte with,
      @ForAll @IntRange(min = 0, max = 2) int how) {
    byte[] leaf = e.leafBytes();
    int at = where % leaf.length;
    byte[] mutated;
    if (how == 0) {
      mutated = leaf.clone();
      mutated[at] = with;
    } else if (how == 1) {
      mutated = new byte[leaf.length + 1];
      System.arraycopy(leaf, 0, mutated, 0, at);
      mutated[at] = with;
      System.arraycopy(leaf, at, mutated, at + 1, leaf.length - at);
    } else {
      mutated = new byte[leaf.length - 1];
      System.arraycopy(leaf, 0, mutated, 0, at);
      System.arraycopy(leaf, at + 1, mutated, at, leaf.length - at - 1);
    }
    LedgerEntry read;
    try {
      read = LedgerEntry.parse(mutated);
    } catch (KasComputeException refused) {
      return;
    }
    // whatever parses is canonical: its own leaf bytes, so a different entry
    assertThat(read.leafBytes()).isEqualTo(mutated);
    assertThat(CanonicalJson.canonicalize(mutated)).isEqualTo(mutated);
  }

  static ErrorCode refusal(String line) {
    try {
      LedgerEntry.parse(line.getBytes(StandardCharsets.UTF_8));
      return null;
    } catch (KasComputeException e) {
      return e.code();
    }
  }

  static String leaf(LedgerEntry e) {
    return new String(e.leafBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void nonCanonicalAndIncompleteLinesAreRefusedWithTheirCode() {
    String job = leaf(job("kc_node_01", Optional.empty(), 123, 42, "sim", 150,
        "launcher-miner/0.2.0", 1_710_000_000L, false));
    assertThat(refusal(job)).isNull();
    assertThat(refusal(job.replace(",", ", "))).isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(job + " ")).isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(job.replace("\"kc_node_01\"", "\"kc_node_\\u0030\\u0031\"")))
        .isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(job.replace("{\"accepted_unix\":\"1710000005\",",
        "{").replace("}", ",\"accepted_unix\":\"1710000005\"}")))
        .isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(job.replace("}", ",\"extra\":\"x\"}"))).isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(job.replace("\"job_id\":\"123\"", "\"job_id\":\"0123\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(refusal(job.replace("\"job_id\":\"123\"", "\"job_id\":\"18446744073709551616\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(refusal(job.replace("\"job_id\":\"123\"", "\"job_id\":\"-1\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(refusal(job.replace("\"job_id\":\"123\"", "\"job_id\":123")))
        .isEqualTo(ErrorCode.WRONG_TYPE);
    assertThat(refusal(job.replace("\"job_id\":\"123\",", ""))).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(refusal(job.replace("\"kind\":\"job\"", "\"kind\":\"jobs\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(refusal(job.replace("\"scheme\":\"digest\"", "\"scheme\":\"other\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(refusal(job.replace("\"scheme\":\"digest\"", "\"scheme\":\"launcher\"")))
        .isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(job.replace("\"node_id\":", "\"miner_id\":null,\"node_id\":")))
        .isEqualTo(ErrorCode.WRONG_TYPE);
    String key = NODE.publicKey().hex();
    assertThat(refusal(job.replace(key, key.toUpperCase(java.util.Locale.ROOT))))
        .isEqualTo(ErrorCode.MALFORMED_HEX);
    assertThat(refusal(job.replace(key, key.substring(2)))).isEqualTo(ErrorCode.WRONG_LENGTH);
    assertThat(refusal("[]")).isEqualTo(ErrorCode.WRONG_TYPE);
    assertThat(refusal("")).isEqualTo(ErrorCode.MALFORMED_JSON);
    assertThat(refusal("{\"kind\":\"job\"")).isEqualTo(ErrorCode.MALFORMED_JSON);
    assertThat(refusal(job.replace("{\"accepted", "{\"kind\":\"job\",\"accepted")))
        .isEqualTo(ErrorCode.DUPLICATE_KEY);
    assertThat(refusal("{\"x\":\"" + "a".repeat(LedgerEntry.MAX_LEAF_BYTES) + "\"}"))
        .isEqualTo(ErrorCode.BODY_TOO_LARGE);

    String launcher = leaf(job("kc_node_01", Optional.empty(), 1, 2, "sim", 3, "protocol-v1", 4,
        true));
    assertThat(refusal(launcher)).isNull();
    assertThat(launcher).doesNotContain("proof_hash");
    assertThat(refusal(launcher.replace("\"scheme\":\"launcher\"", "\"scheme\":\"digest\"")))
        .isEqualTo(ErrorCode.MISSING_FIELD);

    String task = leaf(task("n", "r", "t", 5, 6));
    assertThat(refusal(task)).isNull();
    assertThat(refusal(task.replace("\"scheme\":\"digest\"", "\"scheme\":\"launcher\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    String rotation = leaf(rotation("n", 9));
    assertThat(refusal(rotation)).isNull();
    assertThat(refusal(rotation.replace("\"by\":\"node\"", "\"by\":\"operator\"")))
        .isEqualTo(ErrorCode.NON_CANONICAL_ENTRY);
    assertThat(refusal(rotation.replace("\"by\":\"node\"", "\"by\":\"admin\"")))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
  }

  @Test
  void factoriesNormaliseHexAndCheckWhatTheyRecord() {
    JobProofPayload p = new JobProofPayload(NodeId.of("kc_node_01"), Optional.empty(), 123, 42,
        "sim", 150, "launcher-miner/0.2.0", 1_710_000_000L);
    String sig = ProofSigner.of(NODE).signJobProof(p).signature();
    JobEntry e = JobEntry.digest(p, sig.toUpperCase(java.util.Locale.ROOT), NODE.publicKey(), 7, "c");
    assertThat(e.signatureHex()).isEqualTo(sig);
    assertThat(e.proofHashHex()).contains(p.digest().hex());
    assertThat(e.scheme()).isEqualTo(SignatureScheme.DIGEST);
    assertThatThrownBy(() -> JobEntry.digest(p, "zz", NODE.publicKey(), 7, "c"))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.MALFORMED_HEX));
    assertThatThrownBy(() -> KeyRotationEntry.byNode(NodeId.of("n"), NODE.publicKey(),
        NEXT.publicKey(), sig, 1, 2, "c")).isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.BAD_SIGNATURE));
    assertThatThrownBy(() -> KeyRotationEntry.byOperator(NodeId.of("n"), NODE.publicKey(),
        NODE.publicKey(), 1, 2, "c")).isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    KeyRotationEntry op = KeyRotationEntry.byOperator(NodeId.of("n"), NODE.publicKey(),
        NEXT.publicKey(), 1, 2, "c");
    assertThat(leaf(op)).doesNotContain("rotation_signature").contains("\"by\":\"operator\"");
    assertThat(new String(rotation("kc_x", 77).message(), StandardCharsets.US_ASCII))
        .isEqualTo("kc-rotate|kc_x|" + NODE.publicKey().hex() + "|" + NEXT.publicKey().hex() + "|77");
  }
}
