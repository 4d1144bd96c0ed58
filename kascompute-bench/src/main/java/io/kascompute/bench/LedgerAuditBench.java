package io.kascompute.bench;

import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.BulkVerifier;
import io.kascompute.crypto.NodePublicKey;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import io.kascompute.crypto.ledger.AuditReport;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.LedgerAuditor;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Auditing a ledger export of job proofs (1,000 nodes, nine in ten in the digest scheme, one in
 * ten in the launcher scheme) against verifying the same proofs alone, on the same threads in the
 * same run. Target: {@link #audit} within 2x of {@link #verifyDecodedProofs}.
 *
 * <ul>
 *   <li>{@link #audit}: {@code LedgerAuditor} over the export file: strict leaf parsing, leaf
 *       hashes and the root, every proof, key pins, duplicate signatures, per-node totals.
 *   <li>{@link #verifyProofLines}: {@code BulkVerifier} (what {@code kascompute verify} runs) over
 *       the same proofs as V1 request lines, parsing included.
 *   <li>{@link #verifyDecodedProofs}: the bare verification calls on submissions decoded in
 *       advance, split over the threads: the cost of the signatures alone.
 * </ul>
 *
 * <p>The export is generated once (signing takes a while, see {@link LedgerExportFiles}) into
 * {@code java.io.tmpdir} and reused by later runs of the same size. Each iteration also prints the process CPU time it used, which
 * a loaded shared machine disturbs much less than wall time. No warmup iteration: one run of a
 * large export warms the JIT within its first seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 0)
@Measurement(iterations = 2)
public class LedgerAuditBench {

  @Param({"1000000"})
  public int entries;

  @Param({"2"})
  public int threads;

  private Path export;
  private Path proofLines;
  private Checkpoint checkpoint;
  private ExecutorService pool;
  private List<JobProofSubmission> decoded;

  /** Generates (or reuses) the export and the proof lines, and decodes the proofs once. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    export = dir.resolve("kascompute-ledger-bench-" + entries + ".jsonl");
    proofLines = dir.resolve("kascompute-ledger-bench-" + entries + ".proofs.jsonl");
    pool = Executors.newFixedThreadPool(threads);
    LedgerExportFiles.prepare(export, proofLines, entries, pool);
    CompactRange range = CompactRange.empty();
    decoded = new ArrayList<>(entries);
    try (var lines = Files.lines(export)) {
      lines.forEach(line -> {
        byte[] leaf = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        range.append(MerkleTree.leafHash(leaf));
        decoded.add(((JobEntry) LedgerEntry.parse(leaf)).submission());
      });
    }
    if (range.size() != entries) {
      throw new IllegalStateException(export + " has " + range.size() + " entries, not " + entries);
    }
    checkpoint = new Checkpoint(LedgerExportFiles.ORIGIN, entries, range.root());
  }

  private long cpuAtStart;

  /** Notes the process's CPU time before each iteration. */
  @Setup(Level.Iteration)
  public void cpuBefore() {
    cpuAtStart = processCpuNanos();
  }

  /**
   * Prints the CPU time the iteration used: on a shared machine wall time varies with the load,
   * CPU time much less.
   */
  @TearDown(Level.Iteration)
  public void cpuAfter() {
    System.out.printf(" [process CPU %.1f s]", (processCpuNanos() - cpuAtStart) / 1e9);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Stops the verification threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.shutdownNow();
  }

  /** The full audit of the export against its checkpoint (which it must pass). */
  @Benchmark
  public AuditReport audit() throws IOException {
    AuditReport r;
    try (InputStream in = Files.newInputStream(export)) {
      r = LedgerAuditor.create(ProofVerifier.create(), pool, threads).audit(checkpoint, in,
          f -> { });
    }
    if (!r.passed() || r.jobProofs() != entries) {
      throw new IllegalStateException("the benchmark ledger does not audit: " + r.firstFailure());
    }
    return r;
  }

  /** The same proofs through the bulk verifier, as JSON lines of V1 proof requests. */
  @Benchmark
  public BulkVerifier.Summary verifyProofLines() throws IOException {
    BulkVerifier.Summary s;
    try (InputStream in = Files.newInputStream(proofLines)) {
      s = BulkVerifier.create(ProofVerifier.create(), pool, threads).verify(in, r -> { });
    }
    if (s.valid() != entries) {
      throw new IllegalStateException(s.valid() + " of " + entries + " proof lines verified");
    }
    return s;
  }

  /** The same proofs, decoded in advance: one verification call each, split over the threads. */
  @Benchmark
  public long verifyDecodedProofs() throws Exception {
    ProofVerifier verifier = ProofVerifier.create();
    Set<SignatureScheme> digest = EnumSet.of(SignatureScheme.DIGEST);
    Set<SignatureScheme> launcher = EnumSet.of(SignatureScheme.LAUNCHER);
    List<Future<Long>> parts = new ArrayList<>();
    int per = (decoded.size() + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      int from = t * per;
      int to = Math.min(decoded.size(), from + per);
      parts.add(pool.submit(() -> {
        long valid = 0;
        for (int i = from; i < to; i++) {
          JobProofSubmission s = decoded.get(i);
          NodePublicKey key = verifier.publicKey(s.publicKeyHex().orElseThrow());
          Verdict v = verifier.verifyJobProof(s, key,
              s.proofHash().isPresent() ? digest : launcher);
          if (v instanceof Verdict.Valid) {
            valid++;
          }
        }
        return valid;
      }));
    }
    long valid = 0;
    for (Future<Long> f : parts) {
      valid += f.get();
    }
    if (valid != decoded.size()) {
      throw new IllegalStateException(valid + " of " + decoded.size() + " verified");
    }
    return valid;
  }
}
