package io.kascompute.bench;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Job proof verification against its baseline, raw BouncyCastle verify of the same 32-byte digest
 * with the key passed as bytes; targets: sdkVerify >= 0.90x, sdkVerifyFromJson and
 * sdkVerifyLauncherFromJson >= 0.85x.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProofVerifyBench {
  private byte[] publicKey;
  private byte[] digest;
  private byte[] signature;
  private JobProofSubmission submission;
  private byte[] json;
  private byte[] launcherJson;
  private ProofVerifier verifier;

  /** Signs one fixed proof with the RFC 8032 TEST 1 key. */
  @Setup
  public void setUp() {
    NodeKeyPair keys = NodeKeyPair.fromSeedHex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    submission = ProofSigner.of(keys).signJobProof(new JobProofPayload(
        NodeId.of("kc_node_01"), Optional.empty(), 123, 42, "sim", 150, "launcher-miner/0.2.0",
        1_710_000_000L));
    publicKey = keys.publicKey().toByteArray();
    digest = HexCodec.decode("proof_hash", submission.proofHash().orElseThrow());
    signature = HexCodec.decode("signature", submission.signature());
    json = submission.toJsonBytes();
    launcherJson = ProofSigner.of(keys).signLauncherJobProof(new JobProofPayload(
        NodeId.of("kc_node_01"), Optional.empty(), 123, 42, "sim", 150, "protocol-v1",
        1_710_000_000L)).toJsonBytes();
    verifier = ProofVerifier.create();
    if (!(verifier.verifyJobProofJson(json) instanceof Verdict.Valid)
        || !(verifier.verifyJobProofJson(launcherJson) instanceof Verdict.Valid)
        || !Ed25519.verify(signature, 0, publicKey, 0, digest, 0, digest.length)) {
      throw new IllegalStateException("the benchmark proof does not verify");
    }
  }

  /** Baseline: BouncyCastle's low-level verify of the digest, key as bytes. */
  @Benchmark
  public boolean bouncyCastleRaw() {
    return Ed25519.verify(signature, 0, publicKey, 0, digest, 0, digest.length);
  }

  /** Full verification of a parsed submission: rebuild, hash, compare, verify. */
  @Benchmark
  public Verdict sdkVerify() {
    return verifier.verifyJobProof(submission);
  }

  /** Full verification from the JSON line's bytes: one-pass scan, then as {@link #sdkVerify}. */
  @Benchmark
  public Verdict sdkVerifyFromJson() {
    return verifier.verifyJobProofJson(json);
  }

  /** A launcher-scheme line as the public launcher sends it (with elapsed_ms, no proof_hash). */
  @Benchmark
  public Verdict sdkVerifyLauncherFromJson() {
    return verifier.verifyJobProofJson(launcherJson);
  }
}
