package io.kascompute.bench;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.InMemorySubtreeHashes;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending accepted proofs to the ledger in memory, one entry per operation: the entry's
 * canonical leaf bytes, its leaf hash, the compact range append, and (in {@link #appendAndStore})
 * every completed subtree hash kept in {@link InMemorySubtreeHashes}, as a store persists them.
 * Baseline in the same run: plain SHA-256 of the same leaf bytes. Target: at least 200,000
 * appends per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class LedgerAppendBench {
  private static final int ENTRIES = 1024;

  private JobEntry[] entries;
  private byte[][] leaves;
  private int next;
  private CompactRange range;
  private InMemorySubtreeHashes store;
  private MessageDigest sha256;

  /** Signs 1024 distinct job proofs of 16 nodes once. */
  @Setup(Level.Trial)
  public void setUp() {
    entries = new JobEntry[ENTRIES];
    leaves = new byte[ENTRIES][];
    NodeKeyPair[] keys = new NodeKeyPair[16];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = NodeKeyPair.fromSeed(Sha256Digest.hash(new byte[] {(byte) k}).toByteArray());
    }
    for (int i = 0; i < ENTRIES; i++) {
      NodeKeyPair key = keys[i % keys.length];
      JobProofPayload p = new JobProofPayload(key.nodeId(), Optional.empty(), 1_000_000 + i,
          50_000 + i, "cpu", 900 + i, "launcher-miner/0.2.0", 1_710_000_000L + i);
      entries[i] = JobEntry.digest(p, ProofSigner.of(key).signJobProof(p).signature(),
          key.publicKey(), 1_710_000_001L + i, "coordinator-1");
      leaves[i] = entries[i].leafBytes();
    }
    sha256 = Sha256Digest.newMessageDigest();
  }

  /** A fresh log per iteration, so that memory stays what one iteration appends. */
  @Setup(Level.Iteration)
  public void freshLog() {
    range = CompactRange.empty();
    store = InMemorySubtreeHashes.create();
  }

  /** Baseline: SHA-256 of the entry's leaf bytes, already built. */
  @Benchmark
  public byte[] baselineSha256OfLeaf() {
    return sha256.digest(leaves[next++ & (ENTRIES - 1)]);
  }

  /** Canonical leaf bytes, leaf hash and compact-range append. */
  @Benchmark
  public long append() {
    JobEntry e = entries[next++ & (ENTRIES - 1)];
    range.append(MerkleTree.leafHash(e.leafBytes()));
    return range.size();
  }

  /** As {@link #append}, keeping every completed subtree hash (about two per entry) in memory. */
  @Benchmark
  public long appendAndStore() {
    JobEntry e = entries[next++ & (ENTRIES - 1)];
    range.append(MerkleTree.leafHash(e.leafBytes()), store);
    return range.size();
  }

  /** Reading the current root after each append (a checkpoint per entry, the worst case). */
  @Benchmark
  public Sha256Digest appendAndRoot() {
    JobEntry e = entries[next++ & (ENTRIES - 1)];
    range.append(MerkleTree.leafHash(e.leafBytes()));
    return range.root();
  }
}
