package io.kascompute.bench;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.BulkVerifier;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The offline audit of a JSON Lines log on one core, per proof, against raw BouncyCastle verify
 * of exactly the same proofs (signature, key as bytes, message) in the same run; target:
 * bulkVerifyOneThread >= 0.85x bouncyCastleRaw.
 *
 * <p>The log mixes what auditors see: digest-scheme records with proof_hash (half), launcher
 * records as the public launcher sends them (four in ten, half of them with elapsed_ms), digest
 * records with a miner_id (one in ten), from 64 nodes whose ids hold control characters and
 * non-ASCII, in random field order with the names or their aliases.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BulkVerifyBench {
  static final int LINES = 2048;
  private static final int NODES = 64;

  private byte[] log;
  private byte[][] signatures;
  private byte[][] keys;
  private byte[][] messages;
  private int next;
  private BulkVerifier oneThread;
  private BulkVerifier twoThreads;
  private ExecutorService pool;

  /** Signs the log with fixed keys from a fixed seed, and checks that every line verifies. */
  @Setup
  public void setUp() throws IOException {
    SplittableRandom r = new SplittableRandom(42);
    NodeKeyPair[] nodeKeys = new NodeKeyPair[NODES];
    String[] ids = new String[NODES];
    for (int i = 0; i < NODES; i++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      nodeKeys[i] = NodeKeyPair.fromSeed(seed);
      ids[i] = i % 4 == 0 ? "n\u0001\t\u00e9-" + i : "kc_node_" + i;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    signatures = new byte[LINES][];
    keys = new byte[LINES][];
    messages = new byte[LINES][];
    for (int i = 0; i < LINES; i++) {
      int k = r.nextInt(NODES);
      ProofSigner signer = ProofSigner.of(nodeKeys[k]);
      int kind = r.nextInt(10);
      JobProofPayload p = new JobProofPayload(NodeId.of(ids[k]),
          kind == 9 ? Optional.of("kc_miner_" + r.nextInt(8)) : Optional.empty(),
          r.nextLong() >>> 1, 50_000 + r.nextInt(2_000_000), "sim", r.nextInt(60_000),
          kind < 4 ? "protocol-v1" : "launcher-miner/0.2.0", 1_710_000_000L + i);
      JobProofSubmission s;
      if (kind < 4) {
        s = signer.signLauncherJobProof(p);
        if (kind < 2) {
          s = new JobProofSubmission(s.nodeId(), s.minerId(), s.jobId(), s.workUnits(),
              s.workloadMode(), java.util.OptionalLong.empty(), s.clientVersion(), s.ts(),
              Optional.empty(), s.signature(), s.publicKeyHex());
        }
        messages[i] = LauncherJobProof.of(p).message();
      } else {
        s = signer.signJobProof(p);
        messages[i] = p.digest().toByteArray();
      }
      signatures[i] = HexCodec.decode("signature", s.signature());
      keys[i] = nodeKeys[k].publicKey().toByteArray();
      String line = new String(s.toJsonBytes(), StandardCharsets.UTF_8);
      if (r.nextBoolean()) {
        line = line.replace("\"ts\":", "\"timestamp_unix\":")
            .replace("\"signature\":", "\"signature_hex\":");
      }
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    log = out.toByteArray();
    oneThread = BulkVerifier.create(ProofVerifier.create(), Runnable::run, 1);
    pool = Executors.newFixedThreadPool(2);
    twoThreads = BulkVerifier.create(ProofVerifier.create(), pool, 2);
    BulkVerifier.Summary s = oneThread.verify(new ByteArrayInputStream(log), x -> { });
    if (s.valid() != LINES) {
      throw new IllegalStateException("the benchmark log does not verify: " + s.reasons());
    }
    for (int i = 0; i < LINES; i++) {
      if (!Ed25519.verify(signatures[i], 0, keys[i], 0, messages[i], 0, messages[i].length)) {
        throw new IllegalStateException("proof " + i + " does not verify raw");
      }
    }
  }

  /** Stops the two-thread pool. */
  @TearDown
  public void tearDown() {
    pool.shutdownNow();
  }

  /** Baseline: BouncyCastle's low-level verify of the next proof of the log, key as bytes. */
  @Benchmark
  public boolean bouncyCastleRaw() {
    int i = next;
    next = i + 1 == LINES ? 0 : i + 1;
    return Ed25519.verify(signatures[i], 0, keys[i], 0, messages[i], 0, messages[i].length);
  }

  /** The whole audit of the log on the calling thread: cut, scan, rebuild, hash, verify, tally. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public BulkVerifier.Summary bulkVerifyOneThread(Blackhole bh) throws IOException {
    return oneThread.verify(new ByteArrayInputStream(log), bh::consume);
  }

  /** One audit of the whole log on the calling thread, for {@link BulkVerifyCpuTime}. */
  BulkVerifier.Summary verifyLogOnce() throws IOException {
    return oneThread.verify(new ByteArrayInputStream(log), x -> { });
  }

  /** The same audit on two worker threads (the reading thread only cuts batches). */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public BulkVerifier.Summary bulkVerifyTwoThreads(Blackhole bh) throws IOException {
    return twoThreads.verify(new ByteArrayInputStream(log), bh::consume);
  }
}
