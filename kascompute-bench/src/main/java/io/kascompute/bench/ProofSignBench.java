package io.kascompute.bench;

import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
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
 * Job proof signing against its baseline, raw BouncyCastle signing of a 32-byte digest with the
 * public key passed in; target: sdkSign and sdkSignLauncher >= 0.85x.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProofSignBench {
  private byte[] seed;
  private byte[] publicKey;
  private byte[] digest;
  private ProofSigner signer;
  private JobProofPayload payload;

  /** Prepares the RFC 8032 TEST 1 key and a fixed payload. */
  @Setup
  public void setUp() {
    NodeKeyPair keys = NodeKeyPair.fromSeedHex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    seed = keys.exportSecretSeed();
    publicKey = keys.publicKey().toByteArray();
    signer = ProofSigner.of(keys);
    payload = new JobProofPayload(NodeId.of("kc_node_01"), Optional.empty(), 123, 42, "sim", 150,
        "launcher-miner/0.2.0", 1_710_000_000L);
    digest = payload.digest().toByteArray();
  }

  /** Baseline: BouncyCastle's low-level sign of the digest with the public key passed in. */
  @Benchmark
  public byte[] bouncyCastleRaw() {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey, 0, digest, 0, digest.length, sig, 0);
    return sig;
  }

  /** The full pipeline: canonical bytes, SHA-256, sign, hex, submission. */
  @Benchmark
  public JobProofSubmission sdkSign() {
    return signer.signJobProof(payload);
  }

  /** The launcher scheme: the pf| message, sign, hex, submission. */
  @Benchmark
  public JobProofSubmission sdkSignLauncher() {
    return signer.signLauncherJobProof(payload);
  }
}
