package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of docs/spec/proofs.md, computed and asserted byte for byte. */
class ProofSignerTest {
  private final ProofSigner signer = ProofSigner.of(Rfc8032Test1.KEYS);
  private final ProofVerifier verifier = ProofVerifier.create();

  @Test
  void jobProofWorkedExample() {
    JobProofSubmission s = signer.signJobProof(Rfc8032Test1.JOB);
    assertThat(s.proofHash().orElseThrow())
        .isEqualTo("ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a");
    assertThat(s.signature()).isEqualTo(
        "a24aa02994a95d4161e134541762e814dc9b79d0b7d8d4141e5e0fee8d89a404"
            + "9a235f61da666fa7e191862608cc88d1e22b98151b9937ca2700ae99faec6501");
    assertThat(s.publicKeyHex()).contains(Rfc8032Test1.PUBLIC_KEY_HEX);
    assertThat(new String(s.toJsonBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,\"workload_mode\":\"sim\","
            + "\"elapsed_ms\":150,\"client_version\":\"launcher-miner/0.2.0\",\"ts\":1710000000,"
            + "\"proof_hash\":\"ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a\","
            + "\"signature\":\"" + s.signature() + "\","
            + "\"public_key_hex\":\"" + Rfc8032Test1.PUBLIC_KEY_HEX + "\"}");
    assertThat(verifier.verifyJobProof(s)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(verifier.verifyJobProofJson(s.toJsonBytes())).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void digestSchemeWithMinerIdWorkedExample() {
    JobProofPayload p = new JobProofPayload(NodeId.of("kc_node_01"), Optional.of("kc_miner_07"),
        123, 42, "sim", 150, "launcher-miner/0.2.0", 1_710_000_000L);
    assertThat(new String(p.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"node_id\":\"kc_node_01\",\"miner_id\":\"kc_miner_07\",\"job_id\":123,\"work_units\":42,"
            + "\"workload_mode\":\"sim\",\"elapsed_ms\":150,\"client_version\":\"launcher-miner/0.2.0\","
            + "\"ts\":1710000000}");
    JobProofSubmission s = signer.signJobProof(p);
    assertThat(s.proofHash()).contains(
        "7817225bc9bb5fe4407943e31481a9fc67b1340565a60d1250080a1f75fe2bef");
    assertThat(s.signature()).isEqualTo(
        "c1c240207d95445d0ec07bb03acec8922b60b0b0d07d4834603a54fa2928852a"
            + "ed44a933628e4edc76ed96d9eaf4e676bb7f22f1b585dba8c693a5e209e4ee0f");
    assertThat(verifier.verifyJobProof(s)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void digestSchemeEscapingWorkedExample() {
    JobProofPayload p = new JobProofPayload(
        NodeId.of("\u0000\u0001\u001f\t\n\r\b\f\"\\/"), Optional.of("\u007f\u2028"), 5, 6,
        "sim\u0000", 7, "v\n1", 8);
    assertThat(HexCodec.encode(p.canonicalBytes())).isEqualTo(HexCodec.encode((
        "{\"node_id\":\"\\u0000\\u0001\\u001f\\t\\n\\r\\b\\f\\\"\\\\/\",\"miner_id\":\"\u007f\u2028\","
            + "\"job_id\":5,\"work_units\":6,\"workload_mode\":\"sim\\u0000\",\"elapsed_ms\":7,"
            + "\"client_version\":\"v\\n1\",\"ts\":8}").getBytes(StandardCharsets.UTF_8)));
    assertThat(p.digest().hex())
        .isEqualTo("78e5b86a3fe47cd754c8e88e8b9ceaf55acd76cbc36e522aea267f92765ea17b");
  }

  @Test
  void launcherSchemeWorkedExamples() {
    LauncherJobProof proof = LauncherJobProof.of(Rfc8032Test1.JOB);
    assertThat(HexCodec.encode(proof.message()))
        .isEqualTo("70667c6b635f6e6f64655f30317c3132337c34327c31373130303030303030");
    String sig = signer.signLauncherJobProof(proof);
    assertThat(sig).isEqualTo(
        "700868b9178ac45d79e8acc4fe61c660e869da6eeccd3984cff9a7170d887dbe"
            + "08b98c7c77dbdb736d8c79e7569ee39dc8bbc2159837b5143f2228cb6f8f8304");
    String record = "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,"
        + "\"workload_mode\":\"sim\",\"elapsed_ms\":150,\"client_version\":\"protocol-v1\","
        + "\"timestamp_unix\":1710000000,\"signature_hex\":\"" + sig + "\",\"public_key_hex\":\""
        + Rfc8032Test1.PUBLIC_KEY_HEX + "\"}";
    assertThat(verifier.verifyJobProofJson(record.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    assertThat(HexCodec.encode(new LauncherJobProof(
        NodeId.of("\u0000\u0001\u001f\t\n\r\b\f"), 7, 8, 9).message()))
        .isEqualTo("70667c00011f090a0d080c7c377c387c39");

    LauncherHeartbeat hb = new LauncherHeartbeat(NodeId.of("kc_node_01"), "cpu", 1_710_000_000L);
    assertThat(HexCodec.encode(hb.message()))
        .isEqualTo("68627c6b635f6e6f64655f30317c6370757c31373130303030303030");
    assertThat(signer.signLauncherHeartbeat(hb)).isEqualTo(
        "abf5002e777d86f8b5b94fb42c99fe70eb7c6b4bd279e1b1899c4051a1bb26c2"
            + "ab5f309fca20fefd0cc242f0f9ddce33ea53a9525ba4db4d33b25a5bf2cfb10d");
    assertThat(new LauncherHeartbeat(NodeId.of("a|b"), "c", 1).message())
        .as("the heartbeat message does not bind where the node id ends")
        .isEqualTo(new LauncherHeartbeat(NodeId.of("a"), "b|c", 1).message());
  }

  @Test
  void taskProofWorkedExample() {
    assertThat(new String(Rfc8032Test1.TASK.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"node_id\":\"kc_d75a980182b10ab7\",\"run_id\":\"run-0001\",\"task_id\":\"t1\","
            + "\"task_hash\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\","
            + "\"work_units\":42,\"elapsed_ms\":150,\"client_version\":\"kascompute-sdk/0.1.0\","
            + "\"ts\":1710000000}");
    ProofSignature s = signer.signTaskProof(Rfc8032Test1.TASK);
    assertThat(s.proofHash())
        .isEqualTo("0721650b4c7d9cdbd16886b4f2bdeeda96c9a9d350b094bfd04f2c712ec9583d");
    assertThat(s.signature()).isEqualTo(
        "5cdad671dea262ed4a6429075a8e478ea906b1d84fff85887c4280ded8cb403c"
            + "274f5c0c1e3a6ee3168013a0eb2a8aad199cf3440bed097beb638ac85189f300");
    assertThat(verifier.verifyTaskProof(Rfc8032Test1.TASK, Optional.of(s.proofHash()),
            s.signature(), Rfc8032Test1.KEYS.publicKey()))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void heartbeatWorkedExample() {
    assertThat(new String(Rfc8032Test1.HEARTBEAT.canonicalBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"node_id\":\"kc_d75a980182b10ab7\",\"public_key_hex\":\""
            + Rfc8032Test1.PUBLIC_KEY_HEX + "\",\"roles\":[\"node\",\"miner\"],"
            + "\"client_version\":\"kascompute-sdk/0.1.0\",\"timestamp_unix\":1710000000}");
    assertThat(Rfc8032Test1.HEARTBEAT.digest().hex())
        .isEqualTo("af56701b745432cd44697a272b48f8ce4407982c83edcabdd774971d14e85ae7");
    String sig = signer.signHeartbeat(Rfc8032Test1.HEARTBEAT);
    assertThat(sig).isEqualTo(
        "571310bdb0f319474d920612f26bb90106a23bf173334ab159d1ffd43b81355f"
            + "59af0887dd270e20b512ba55aa425bab30bbfc26479c804b154001c0823e6809");
    assertThat(verifier.verifyHeartbeat(Rfc8032Test1.HEARTBEAT, Rfc8032Test1.LAUNCHER_HEARTBEAT,
            sig, Rfc8032Test1.KEYS.publicKey()))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void refusesToSignAHeartbeatForAnotherKey() {
    HeartbeatPayload other = new HeartbeatPayload(
        Rfc8032Test1.HEARTBEAT.nodeId(), NodeKeyPair.generate().publicKey().hex(), List.of("node"),
        "x", 1);
    assertThatThrownBy(() -> signer.signHeartbeat(other))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_MISMATCH));
  }

  @Test
  void signsTheRawDigestNotItsHexNorThePayload() {
    JobProofSubmission s = signer.signJobProof(Rfc8032Test1.JOB);
    byte[] sig = java.util.HexFormat.of().parseHex(s.signature());
    NodePublicKey pk = Rfc8032Test1.KEYS.publicKey();
    Signatures.verifyRaw(pk, Rfc8032Test1.JOB.digest().toByteArray(), sig);
    assertThatThrownBy(() -> Signatures.verifyRaw(pk, Rfc8032Test1.JOB.canonicalBytes(), sig))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_SIGNATURE));
    byte[] hexText = s.proofHash().orElseThrow().getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Signatures.verifyRaw(pk, hexText, sig))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_SIGNATURE));
  }
}
