package io.kascompute.bench;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.NoteSigner;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The input of the ledger audit measurements: a ledger export of job proofs (1,000 nodes, nine in
 * ten in the digest scheme, one in ten in the launcher scheme) and the same proofs as V1 proof
 * request lines, as {@link LedgerAuditBench} audits and verifies them; {@link #main} also signs a
 * checkpoint of the export, so that the CLI's {@code kascompute audit} can be timed against
 * {@code kascompute verify} of the proof lines.
 *
 * <p>Run: {@code java -cp kascompute-bench/target/benchmarks.jar
 * io.kascompute.bench.LedgerExportFiles DIR ENTRIES}: writes (or reuses) {@code
 * DIR/kascompute-ledger-bench-ENTRIES.jsonl} and {@code .proofs.jsonl}, and writes {@code
 * .checkpoint} and {@code .vkey} next to them.
 */
final class LedgerExportFiles {
  /** The checkpoint origin, which is also the note signer's key name. */
  static final String ORIGIN = "bench.kascompute.example/ledger";
  private static final int NODES = 1000;

  private LedgerExportFiles() {}

  /** Writes the export and the proof lines unless both already exist; signs on {@code pool}. */
  static void prepare(Path export, Path proofLines, int entries, ExecutorService pool)
      throws Exception {
    if (Files.exists(export) && Files.exists(proofLines)) {
      return;
    }
    NodeKeyPair[] keys = new NodeKeyPair[NODES];
    for (int k = 0; k < NODES; k++) {
      keys[k] = NodeKeyPair.fromSeed(Sha256Digest.hash(
          ("bench node " + k).getBytes(StandardCharsets.US_ASCII)).toByteArray());
    }
    int chunk = 10_000;
    List<Future<byte[][][]>> parts = new ArrayList<>();
    for (int from = 0; from < entries; from += chunk) {
      int start = from;
      int end = Math.min(entries, from + chunk);
      parts.add(pool.submit(() -> {
        byte[][][] out = new byte[2][end - start][];
        for (int i = start; i < end; i++) {
          NodeKeyPair key = keys[i % NODES];
          JobProofPayload p = new JobProofPayload(key.nodeId(), Optional.empty(), i,
              50_000 + i % 997, "cpu", 900 + i % 101,
              i % 10 == 0 ? "protocol-v1" : "launcher-miner/0.2.0", 1_710_000_000L + i);
          JobProofSubmission s = i % 10 == 0
              ? ProofSigner.of(key).signLauncherJobProof(p)
              : ProofSigner.of(key).signJobProof(p);
          JobEntry e = i % 10 == 0
              ? JobEntry.launcher(p, s.signature(), key.publicKey(), 1_710_000_001L + i, "c1")
              : JobEntry.digest(p, s.signature(), key.publicKey(), 1_710_000_001L + i, "c1");
          out[0][i - start] = e.leafBytes();
          out[1][i - start] = e.submission().toJsonBytes();
        }
        return out;
      }));
    }
    Path tmpExport = Files.createTempFile(export.getParent(), "ledger", ".part");
    Path tmpProofs = Files.createTempFile(export.getParent(), "proofs", ".part");
    try (OutputStream a = new BufferedOutputStream(Files.newOutputStream(tmpExport), 1 << 16);
        OutputStream b = new BufferedOutputStream(Files.newOutputStream(tmpProofs), 1 << 16)) {
      for (Future<byte[][][]> f : parts) {
        byte[][][] part = f.get();
        for (int i = 0; i < part[0].length; i++) {
          a.write(part[0][i]);
          a.write('\n');
          b.write(part[1][i]);
          b.write('\n');
        }
      }
    }
    Files.move(tmpExport, export, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmpProofs, proofLines, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes (or reuses) the files of {@code ENTRIES} entries in {@code DIR} and signs a checkpoint. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int entries = Integer.parseInt(args[1]);
    String base = "kascompute-ledger-bench-" + entries;
    Path export = dir.resolve(base + ".jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      prepare(export, dir.resolve(base + ".proofs.jsonl"), entries, pool);
    } finally {
      pool.shutdownNow();
    }
    CompactRange range = CompactRange.empty();
    try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        range.append(MerkleTree.leafHash(line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    NoteSigner signer = NoteSigner.create(ORIGIN, NodeKeyPair.fromSeed(Sha256Digest.hash(
        "bench coordinator".getBytes(StandardCharsets.US_ASCII)).toByteArray()));
    Checkpoint checkpoint = new Checkpoint(ORIGIN, range.size(), range.root());
    Files.writeString(dir.resolve(base + ".checkpoint"), checkpoint.sign(signer));
    Files.writeString(dir.resolve(base + ".vkey"), signer.verifierKey().vkey() + "\n");
    System.out.println(dir.resolve(base + ".checkpoint") + ": " + range.size() + " entries");
  }
}
