package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.payload.HeartbeatPayload;
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
