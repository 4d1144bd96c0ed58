package io.kascompute.dag.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.InMemorySubtreeHashes;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.LedgerLog;
import io.kascompute.dag.ledger.ProofLedger;
import io.kascompute.dag.ledger.ProofWindow;
import io.kascompute.dag.ledger.RecordedProof;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The in-memory proof record: the newest {@code retain} proofs in acceptance order with an index
 * by identity, and per-second totals for the last {@value #WINDOW_SECONDS} seconds. Older proofs
 * are forgotten from the views (their jobs and tasks stay completed in their stores). Its {@link
 * #log()} keeps the compact range and every subtree hash of all its entries, the verified proofs
 * and the key rotations of the set's directory (64 bytes each, up to {@code maxLogEntries}, beyond
 * which both are refused {@code store_full}), and the newest {@code retain} entries, whose leaves
 * are rebuilt on reading. Thread-safe; the in-memory job and lease stores and the directory append
 * under this object's lock.
 */
public final class InMemoryProofLedger implements ProofLedger {
  /** The longest window {@link #window} can answer, in seconds. */
  static final int WINDOW_SECONDS = 3600;

  /** Entries the log holds by default: 4,194,304, 256 MiB of tree hashes. */
  public static final long DEFAULT_MAX_LOG_ENTRIES = 1L << 22;

  private final int retain;
  private final long maxLogEntries;
  private final CompactRange range = CompactRange.empty();
  private final InMemorySubtreeHashes hashes = InMemorySubtreeHashes.create();
  // entry i (a RecordedProof or a KeyRotationEntry) is at entries[i % retain] while
  // i >= ledgerSize - retain
  private final Object[] entries;
  private final Log log = new Log();
  private final ArrayDeque<RecordedProof> proofs = new ArrayDeque<>();
  private final HashMap<Sha256Digest, RecordedProof> byHash = new HashMap<>();
  private long size;
  private long ledgerSize;
  private final long[] second = new long[WINDOW_SECONDS];
  private final long[][] totals = new long[WINDOW_SECONDS][5];

  /** A record that retains the newest {@code retain} proofs, with the default log bound. */
  public InMemoryProofLedger(int retain) {
    this(retain, DEFAULT_MAX_LOG_ENTRIES);
  }

  /**
   * A record that retains the newest {@code retain} proofs and whose log holds at most {@code
   * maxLogEntries} entries.
   */
  public InMemoryProofLedger(int retain, long maxLogEntries) {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be at least 1: " + retain);
    }
    if (maxLogEntries < 1) {
      throw new IllegalArgumentException("maxLogEntries must be at least 1: " + maxLogEntries);
    }
    this.retain = retain;
    this.maxLogEntries = maxLogEntries;
    this.entries = new Object[retain];
    java.util.Arrays.fill(second, Long.MIN_VALUE);
  }

  /**
   * Appends an accepted proof and returns its record (the caller holds the unit's lock).
   *
   * @throws io.kascompute.core.KasComputeException {@code REPLAYED_PROOF} if a proof with its
   *     identity is retained, {@code STORE_FULL} if the proof verified and the log holds {@code
   *     maxLogEntries} entries; nothing is appended then
   */
  synchronized RecordedProof append(AcceptedProof proof, String what) {
    Objects.requireNonNull(proof, "proof");
    if (byHash.containsKey(proof.proofHash())) {
      throw LeaseRules.replayedProof(what, proof.proofHash());
    }
    OptionalLong index = OptionalLong.empty();
    if (proof.verified()) {
      checkRoom(what + " was not completed");
      index = OptionalLong.of(appendLeaf(LedgerLeaves.entry(proof).leafBytes()));
    }
    RecordedProof r = new RecordedProof(size++, index, proof);
    if (index.isPresent()) {
      entries[(int) (index.getAsLong() % retain)] = r;
    }
    proofs.addLast(r);
    byHash.put(proof.proofHash(), r);
    while (proofs.size() > retain) {
      RecordedProof old = proofs.removeFirst();
      byHash.remove(old.proof().proofHash(), old);
    }
    count(proof);
    return r;
  }

  /**
   * Appends a key rotation's entry and returns its index (the caller holds the directory's lock
   * and applies the rotation only after this returned).
   *
   * @throws io.kascompute.core.KasComputeException {@code STORE_FULL} if the log holds {@code
   *     maxLogEntries} entries; nothing is appended then
   */
  synchronized long appendRotation(KeyRotationEntry rotation) {
    byte[] leaf = rotation.leafBytes();
    checkRoom("the key rotation of node " + rotation.nodeId() + " was not applied");
    long index = appendLeaf(leaf);
    entries[(int) (index % retain)] = rotation;
    return index;
  }

  private void checkRoom(String consequence) {
    if (ledgerSize >= maxLogEntries) {
      throw new KasComputeException(ErrorCode.STORE_FULL, "the in-memory ledger holds "
          + maxLogEntries + " entries, as many as its bound allows; " + consequence);
    }
  }

  private long appendLeaf(byte[] leaf) {
    range.append(MerkleTree.leafHash(leaf), hashes);
    return ledgerSize++;
  }

  @Override
  public synchronized Optional<RecordedProof> find(Sha256Digest proofHash) {
    return Optional.ofNullable(byHash.get(Objects.requireNonNull(proofHash, "proofHash")));
  }

  @Override
  public synchronized List<RecordedProof> recent(OptionalLong before, int limit) {
    List<RecordedProof> out = new ArrayList<>(Math.min(limit, proofs.size()));
    Iterator<RecordedProof> it = proofs.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      RecordedProof r = it.next();
      if (before.isEmpty() || r.seq() < before.getAsLong()) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public synchronized ProofWindow window(Instant from, Instant to) {
    long first = from.getEpochSecond() + 1;
    long last = to.getEpochSecond();
    long jobs = 0;
    long jobMillis = 0;
    long tasks = 0;
    long workUnits = 0;
    long verified = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      long s = second[i];
      if (s >= first && s <= last) {
        long[] t = totals[i];
        jobs += t[0];
        jobMillis += t[1];
        tasks += t[2];
        workUnits = saturatingAdd(workUnits, t[3]);
        verified += t[4];
      }
    }
    return new ProofWindow(jobs, jobMillis, tasks, workUnits, verified);
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public LedgerLog log() {
    return log;
  }

  /** The log's view of this record, under the record's lock. */
  private final class Log implements LedgerLog {
    @Override
    public long size() {
      synchronized (InMemoryProofLedger.this) {
        return ledgerSize;
      }
    }

    @Override
    public Sha256Digest root(long size) {
      synchronized (InMemoryProofLedger.this) {
        LogBounds.size("size", size, ledgerSize);
        return size == ledgerSize ? range.root() : MerkleTree.root(size, hashes);
      }
    }

    @Override
    public List<byte[]> leaves(long start, long end) {
      List<Object> kept = new ArrayList<>();
      synchronized (InMemoryProofLedger.this) {
        LogBounds.leaves(start, end, ledgerSize);
        long firstKept = Math.max(0, ledgerSize - retain);
        if (start < firstKept) {
          throw LogBounds.forgotten(start, firstKept);
        }
        for (long i = start; i < end; i++) {
          kept.add(entries[(int) (i % retain)]);
        }
      }
      List<byte[]> out = new ArrayList<>(kept.size());
      for (Object e : kept) {
        LedgerEntry entry = e instanceof RecordedProof r
            ? LedgerLeaves.entry(r.proof()) : (KeyRotationEntry) e;
        out.add(entry.leafBytes());
      }
      return out;
    }

    @Override
    public List<Sha256Digest> inclusionProof(long index, long size) {
      synchronized (InMemoryProofLedger.this) {
        LogBounds.inclusion(index, size, ledgerSize);
        return MerkleTree.inclusionProof(index, size, hashes);
      }
    }

    @Override
    public List<Sha256Digest> consistencyProof(long first, long second) {
      synchronized (InMemoryProofLedger.this) {
        LogBounds.consistency(first, second, ledgerSize);
        return MerkleTree.consistencyProof(first, second, hashes);
      }
    }
  }

  private void count(AcceptedProof p) {
    long s = p.accepted().getEpochSecond();
    int slot = (int) Math.floorMod(s, (long) WINDOW_SECONDS);
    if (second[slot] != s) {
      if (second[slot] > s) {
        return; // older than an hour: outside every window this record answers
      }
      second[slot] = s;
      java.util.Arrays.fill(totals[slot], 0);
    }
    long[] t = totals[slot];
    if (p.kind() == ProofKind.JOB) {
      t[0]++;
      t[1] += p.leaseMillis();
    } else {
      t[2]++;
    }
    t[3] = saturatingAdd(t[3], p.workUnits());
    t[4] += p.verified() ? 1 : 0;
  }

  static long saturatingAdd(long unsignedA, long unsignedB) {
    long sum = unsignedA + unsignedB;
    return Long.compareUnsigned(sum, unsignedA) < 0 ? -1L : sum;
  }
}
