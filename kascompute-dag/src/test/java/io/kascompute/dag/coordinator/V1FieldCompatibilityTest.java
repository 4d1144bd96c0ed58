package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests exactly as deployed V1 clients send them (wire facts §1–§3), as literal bytes: the
 * public node launcher's heartbeat and proof, and the v1.1.1 model where a miner's own key signs
 * for the node that leased the job.
 */
class V1FieldCompatibilityTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  /** RFC 8032 section 7.1 TEST 1 and TEST 2 seeds. */
  static final NodeKeyPair LAUNCHER = NodeKeyPair.fromSeedHex(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  static final NodeKeyPair MINER = NodeKeyPair.fromSeedHex(
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

  MutableClock clock = new MutableClock(T0);
  Coordinator coordinator;
  Http http;

  @BeforeEach
  void setUp() {
    coordinator = Coordinator.builder().clock(clock).build();
    coordinator.addJob(1_200_000);
    http = new Http(coordinator);
  }

  static String hex(byte[] b) {
    return HexCodec.encode(b);
  }

  @Test
  void thePublicLaunchersHeartbeatJobAndProofAreVerifiedInTheLauncherScheme() {
    long ts = T0.getEpochSecond();
    String hbSig = hex(Signatures.signRaw(LAUNCHER,
        ("hb|kc_node_01|cpu-standard|" + ts).getBytes(StandardCharsets.US_ASCII)));
    assertThat(hbSig).isEqualTo(ProofSigner.of(LAUNCHER).signLauncherHeartbeat(
        new LauncherHeartbeat(NodeId.of("kc_node_01"), "cpu-standard", ts)));
    String heartbeat = "{\"node_id\":\"kc_node_01\",\"public_key_hex\":\"" + LAUNCHER.publicKey().hex()
        + "\",\"compute_profile\":\"cpu-standard\",\"workload_mode\":\"sim\",\"timestamp_unix\":"
        + ts + ",\"signature_hex\":\"" + hbSig + "\"}";
    Http.Reply hb = http.post("/v1/nodes/heartbeat", heartbeat).ok();
    assertThat(hb.bool("accepted")).isTrue();
    assertThat(hb.bool("key_pinned")).as("a signed heartbeat pins its key").isTrue();

    JsonObject job = http.post("/v1/jobs/next", "{\"node_id\":\"kc_node_01\"}").ok().obj("job");
    long jobId = Http.Reply.num(job, "id");
    assertThat(Http.Reply.num(job, "work_units")).isEqualTo(1_200_000);

    // the launcher's rule: max(50000, min(job, 2000000)) work units
    long units = Math.max(50_000, Math.min(1_200_000, 2_000_000));
    String pfSig = hex(Signatures.signRaw(LAUNCHER, ("pf|kc_node_01|" + jobId + "|" + units + "|" + ts)
        .getBytes(StandardCharsets.US_ASCII)));
    assertThat(pfSig).isEqualTo(hex(Signatures.signRaw(LAUNCHER,
        new LauncherJobProof(NodeId.of("kc_node_01"), jobId, units, ts).message())));
    String proof = "{\"node_id\":\"kc_node_01\",\"work_units\":" + units
        + ",\"workload_mode\":\"sim\",\"elapsed_ms\":4321,\"result_hash\":\"" + "ab".repeat(32)
        + "\",\"client_version\":\"protocol-v1\",\"timestamp_unix\":" + ts + ",\"signature_hex\":\""
        + pfSig + "\"}";
    Http.Reply accepted = http.post("/v1/jobs/" + jobId + "/proof", proof).ok();
    assertThat(accepted.str("status")).isEqualTo("accepted");
    assertThat(accepted.bool("signature_verified")).isTrue();
    assertThat(accepted.str("scheme")).isEqualTo("launcher");
    assertThat(accepted.str("receipt")).startsWith("rcpt:" + jobId + ":");

    // the same body with ts/signature aliases is the same proof; with both names it is refused
    http.post("/v1/jobs/" + jobId + "/proof", proof.replace("\"timestamp_unix\"", "\"ts\"")
        .replace("\"signature_hex\"", "\"signature\"")).ok();
    http.post("/v1/jobs/" + jobId + "/proof", proof.replace("}", ",\"ts\":" + ts + "}"))
        .expect(400, "duplicate_field");
    Http.Reply recent = http.get("/v1/proofs").ok();
    assertThat(recent.envelope().toString()).contains("\"scheme\":\"launcher\"");
  }

  @Test
  void launcherRefusalsHaveTheirCodesAndChangeNothing() {
    long ts = T0.getEpochSecond();
    String hbSig = ProofSigner.of(LAUNCHER).signLauncherHeartbeat(
        new LauncherHeartbeat(NodeId.of("kc_node_01"), "cpu-standard", ts));
    String heartbeat = "{\"node_id\":\"kc_node_01\",\"public_key_hex\":\"" + LAUNCHER.publicKey().hex()
        + "\",\"compute_profile\":\"cpu-standard\",\"workload_mode\":\"sim\",\"timestamp_unix\":"
        + ts + ",\"signature_hex\":\"" + hbSig + "\"}";
    // the heartbeat signed by another key, or flipped, is refused and pins nothing
    http.post("/v1/nodes/heartbeat", heartbeat.replace(hbSig, flip(hbSig))).expect(422, "bad_signature");
    assertThat(http.get("/v1/nodes").ok().envelope().toString()).doesNotContain("kc_node_01");
    http.post("/v1/nodes/heartbeat", heartbeat).ok();
    long jobId = Http.Reply.num(http.post("/v1/jobs/next", "{\"node_id\":\"kc_node_01\"}").ok().obj("job"), "id");
    String pfSig = hex(Signatures.signRaw(LAUNCHER, new LauncherJobProof(NodeId.of("kc_node_01"),
        jobId, 50_000, ts).message()));
    String proof = "{\"node_id\":\"kc_node_01\",\"work_units\":50000,\"workload_mode\":\"sim\","
        + "\"elapsed_ms\":1,\"result_hash\":\"00\",\"client_version\":\"protocol-v1\","
        + "\"timestamp_unix\":" + ts + ",\"signature_hex\":\"" + pfSig + "\"}";
    http.post("/v1/jobs/" + jobId + "/proof", proof.replace(pfSig, flip(pfSig))).expect(422, "bad_signature");
    String wrongKey = hex(Signatures.signRaw(MINER, new LauncherJobProof(NodeId.of("kc_node_01"),
        jobId, 50_000, ts).message()));
    http.post("/v1/jobs/" + jobId + "/proof", proof.replace(pfSig, wrongKey)).expect(422, "bad_signature");
    // without timestamp_unix the coordinator signs-checks its own clock's second: another second fails
    clock.advance(java.time.Duration.ofSeconds(1));
    http.post("/v1/jobs/" + jobId + "/proof", proof.replace(",\"timestamp_unix\":" + ts, ""))
        .expect(422, "bad_signature");
    http.post("/v1/jobs/" + jobId + "/proof", proof.replace("}", ",\"public_key_hex\":\""
        + MINER.publicKey().hex() + "\"}")).expect(422, "key_mismatch");
    assertThat(http.get("/v1/jobs/summary").ok().num("completed")).isZero();
    assertThat(http.post("/v1/jobs/" + jobId + "/proof", proof).ok().str("scheme")).isEqualTo("launcher");
  }

  @Test
  void theV111MinerModelVerifiesAgainstTheMinersPinnedKey() {
    long ts = T0.getEpochSecond();
    SimNode node = new SimNode(3, "rig-7");
    http.post("/v1/nodes/heartbeat", node.heartbeat(ts, "node")).ok();
    // the miner, a worker with its own key, registers with its own heartbeat and role miner
    String minerHb = ProofSigner.of(MINER).signLauncherHeartbeat(new LauncherHeartbeat(
        NodeId.of("miner-7a"), "gpu", ts));
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"miner-7a\",\"public_key_hex\":\""
        + MINER.publicKey().hex() + "\",\"roles\":[\"miner\"],\"compute_profile\":\"gpu\","
        + "\"timestamp_unix\":" + ts + ",\"signature_hex\":\"" + minerHb + "\"}").ok();
    long jobId = Http.Reply.num(http.post("/v1/jobs/next", "{\"node_id\":\"rig-7\"}").ok().obj("job"), "id");

    JobProofPayload payload = new JobProofPayload(NodeId.of("rig-7"), Optional.of("miner-7a"),
        jobId, 1_000_000, "sim", 900, "launcher-miner/0.3.0", ts);
    assertThat(new String(payload.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"node_id\":\"rig-7\",\"miner_id\":\"miner-7a\",\"job_id\":" + jobId
            + ",\"work_units\":1000000,\"workload_mode\":\"sim\",\"elapsed_ms\":900,"
            + "\"client_version\":\"launcher-miner/0.3.0\",\"ts\":" + ts + "}");
    var signed = ProofSigner.of(MINER).signJobProof(payload);
    String body = "{\"node_id\":\"rig-7\",\"miner_id\":\"miner-7a\",\"job_id\":" + jobId
        + ",\"work_units\":1000000,\"workload_mode\":\"sim\",\"elapsed_ms\":900,"
        + "\"client_version\":\"launcher-miner/0.3.0\",\"ts\":" + ts + ",\"proof_hash\":\""
        + signed.proofHash().orElseThrow() + "\",\"signature\":\"" + signed.signature() + "\"}";
    // signed by the node's key instead of the miner's: refused
    var byNode = node.signer.signJobProof(payload);
    http.post("/v1/jobs/" + jobId + "/proof", body.replace(signed.signature(), byNode.signature()))
        .expect(422, "bad_signature");
    // a miner that never registered
    http.post("/v1/jobs/" + jobId + "/proof", body.replace("miner-7a", "miner-9z"))
        .expect(404, "unknown_miner");
    Http.Reply ok = http.post("/v1/jobs/" + jobId + "/proof", body).ok();
    assertThat(ok.str("scheme")).isEqualTo("digest");
    assertThat(ok.bool("signature_verified")).isTrue();
  }

  static String flip(String hex) {
    char c = hex.charAt(10);
    return hex.substring(0, 10) + (c == '0' ? '1' : '0') + hex.substring(11);
  }
}
