package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.NodePublicKey;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Audits a ledger export (the leaf lines, one per line, in log order) against a checkpoint whose
 * signature the caller has verified: recomputes the root of the entries the checkpoint covers,
 * re-verifies every entry's proof in its scheme against its {@code public_key_hex}, checks that
 * the key pinned per id (the {@code miner_id} of a job entry that has one, else the {@code
 * node_id}) never changes without a key rotation entry from that key, that node-signed rotations
 * verify, and that no signature appears twice; and totals proofs and work units per node.
 *
 * <p>It streams: verification runs in batches on the caller's executor, results are applied in
 * log order on the calling thread, and memory is bounded by the limits: at most {@code maxNodes}
 * distinct ids (about 250 bytes each) and a duplicate-signature table of 16 bytes per slot for at
 * most {@code maxSignatures} entries (the checkpoint's size is checked against it before reading).
 * Going beyond either limit stops the audit with {@code body_too_large}: raise the limit, or give
 * the JVM the memory. Lines after the checkpoint's size are counted, not audited.
 */
public final class LedgerAuditor {
  /** The default bound on distinct node ids. */
  public static final int DEFAULT_MAX_NODES = 1_000_000;
  /** The default bound on entries checked for duplicate signatures (a 128 MiB table at most). */
  public static final long DEFAULT_MAX_SIGNATURES = 6_000_000;
  /** The largest bound on entries checked for duplicate signatures. */
  public static final long MAX_SIGNATURES_LIMIT = 500_000_000;

  private static final int BATCH_LINES = 256;
  private static final int CHUNK = 1 << 16;

  private final ProofVerifier verifier;
  private final Executor executor;
  private final int parallelism;
  private final int maxNodes;
  private final long maxSignatures;

  private LedgerAuditor(ProofVerifier verifier, Executor executor, int parallelism, int maxNodes,
      long maxSignatures) {
    this.verifier = verifier;
    this.executor = executor;
    this.parallelism = parallelism;
    this.maxNodes = maxNodes;
    this.maxSignatures = maxSignatures;
  }

  /**
   * An auditor that verifies on {@code executor}, keeping at most {@code 2 * parallelism} batches
   * in flight ({@code parallelism} should match the executor's threads), with the default limits.
   */
  public static LedgerAuditor create(ProofVerifier verifier, Executor executor, int parallelism) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    return new LedgerAuditor(verifier, executor, parallelism, DEFAULT_MAX_NODES,
        DEFAULT_MAX_SIGNATURES);
  }

  /** This auditor with other bounds on distinct node ids and on entries checked for duplicates. */
  public LedgerAuditor withLimits(int maxNodes, long maxSignatures) {
    if (maxNodes < 1 || maxSignatures < 1 || maxSignatures > MAX_SIGNATURES_LIMIT) {
      throw new IllegalArgumentException("maxNodes must be >= 1 and maxSignatures in 1.."
          + MAX_SIGNATURES_LIMIT + ", got " + maxNodes + " and " + maxSignatures);
    }
    return new LedgerAuditor(verifier, executor, parallelism, maxNodes, maxSignatures);
  }

  /**
   * Reads {@code entries} to its end and audits it against {@code checkpoint}, handing each
   * failing entry to {@code failures} in log order (on the calling thread).
   *
   * @throws KasComputeException {@link ErrorCode#BODY_TOO_LARGE} if the checkpoint covers more
   *     entries than the duplicate-signature limit, or the entries name more ids than the node
   *     limit
   * @throws IOException if reading fails
   */
  public AuditReport audit(Checkpoint checkpoint, InputStream entries,
      Consumer<AuditReport.EntryFailure> failures) throws IOException {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(failures, "failures");
    if (checkpoint.size() > maxSignatures) {
      throw new KasComputeException(ErrorCode.BODY_TOO_LARGE, "the checkpoint covers "
          + checkpoint.size() + " entries; this audit checks at most " + maxSignatures
          + " for duplicate signatures (16 to 32 bytes of memory each): raise the limit");
    }
    Run run = new Run(checkpoint, failures);
    ArrayDeque<CompletableFuture<Checked[]>> inFlight = new ArrayDeque<>();
    Consumer<List<Line>> submit = batch -> {
      if (inFlight.size() >= 2 * parallelism) {
        run.apply(join(inFlight.poll()));
      }
      inFlight.add(CompletableFuture.supplyAsync(() -> check(batch), executor));
    };
    long beyond = new LineSplitter(entries, checkpoint.size()).split(submit);
    while (!inFlight.isEmpty()) {
      run.apply(join(inFlight.poll()));
    }
    return run.report(beyond);
  }

  private static Checked[] join(CompletableFuture<Checked[]> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  // ---- the parallel part: hash, parse and verify each line on its own ----------------------------

  /** One line checked on its own: its leaf hash, and the entry or why it failed. */
  private static final class Checked {
    byte[] leafHash;
    LedgerEntry entry;
    ErrorCode code;
    String message;
    String signer;
    String key;
    long fpHi;
    long fpLo;
    boolean signed;
  }

  private Checked[] check(List<Line> batch) {
    MessageDigest md = Hashing.sha256();
    Checked[] out = new Checked[batch.size()];
    for (int i = 0; i < out.length; i++) {
      Line line = batch.get(i);
      Checked c = new Checked();
      if (line.bytes == null) {
        c.leafHash = line.leafHash;
        c.code = ErrorCode.BODY_TOO_LARGE;
        c.message = "the line is longer than " + LedgerEntry.MAX_LEAF_BYTES + " bytes";
      } else {
        md.reset();
        c.leafHash = Hashing.leaf(md, line.bytes, 0, line.bytes.length);
        try {
          verify(c, LedgerEntry.parse(line.bytes), md);
        } catch (KasComputeException e) {
          c.code = e.code();
          c.message = e.getMessage();
          c.entry = null;
        }
      }
      out[i] = c;
    }
    return out;
  }

  private void verify(Checked c, LedgerEntry entry, MessageDigest md) {
    c.entry = entry;
    if (entry instanceof JobEntry e) {
      NodePublicKey key = verifier.publicKey(e.publicKeyHex());
      Verdict v = verifier.verifyJobProof(e.submission(), key, EnumSet.of(e.scheme()));
      if (v instanceof Verdict.Invalid bad) {
        throw new KasComputeException(bad.code(), bad.message());
      }
      c.signer = e.signerId();
      c.key = e.publicKeyHex();
      fingerprint(c, e.signatureHex(), md);
    } else if (entry instanceof TaskEntry e) {
      NodePublicKey key = verifier.publicKey(e.publicKeyHex());
      Verdict v = verifier.verifyTaskProof(
          e.payload(), Optional.of(e.proofHashHex()), e.signatureHex(), key);
      if (v instanceof Verdict.Invalid bad) {
        throw new KasComputeException(bad.code(), bad.message());
      }
      c.signer = e.nodeId().value();
      c.key = e.publicKeyHex();
      fingerprint(c, e.signatureHex(), md);
    } else {
      KeyRotationEntry e = (KeyRotationEntry) entry;
      NodePublicKey oldKey = verifier.publicKey(e.oldPublicKeyHex());
      verifier.publicKey(e.newPublicKeyHex());
      c.signer = e.nodeId().value();
      if (e.rotationSignatureHex().isPresent()) {
        String sig = e.rotationSignatureHex().get();
        try {
          Signatures.verifyRaw(oldKey, e.message(), HexCodec.decode("rotation_signature", sig));
        } catch (KasComputeException bad) {
          throw new KasComputeException(bad.code(), "the rotation_signature does not verify under"
              + " the old key over " + new String(e.message(), StandardCharsets.UTF_8));
        }
        fingerprint(c, sig, md);
      }
    }
  }

  private static void fingerprint(Checked c, String signatureHex, MessageDigest md) {
    md.reset();
    ByteBuffer h = ByteBuffer.wrap(md.digest(signatureHex.getBytes(StandardCharsets.US_ASCII)));
    c.fpHi = h.getLong();
    c.fpLo = h.getLong();
    c.signed = true;
  }

  // ---- the sequential part: the tree, the pins, duplicates and totals, in log order ----------

  /** One id's state: its pinned key and its totals. */
  private static final class NodeState {
    String key;
    long proofs;
    long workLow;
    long workHigh;
    long rotations;

    void addWork(long unsigned) {
      workLow += unsigned;
      if (Long.compareUnsigned(workLow, unsigned) < 0) {
        workHigh++;
      }
    }

    BigInteger work() {
      return BigInteger.valueOf(workHigh).shiftLeft(64)
          .add(new BigInteger(Long.toUnsignedString(workLow)));
    }
  }

  private final class Run {
    final Checkpoint checkpoint;
    final Consumer<AuditReport.EntryFailure> sink;
    final CompactRange range = CompactRange.empty();
    final Map<String, NodeState> nodes = new HashMap<>();
    final FingerprintSet signatures = new FingerprintSet(maxSignatures);
    final EnumMap<ErrorCode, Long> codes = new EnumMap<>(ErrorCode.class);
    AuditReport.EntryFailure first;
    long failures;
    long duplicates;
    long jobs;
    long tasks;
    long rotations;

    Run(Checkpoint checkpoint, Consumer<AuditReport.EntryFailure> sink) {
      this.checkpoint = checkpoint;
      this.sink = sink;
    }

    void apply(Checked[] batch) {
      for (Checked c : batch) {
        long index = range.size();
        range.appendRaw(c.leafHash, null);
        if (c.code != null) {
          fail(index, c.code, c.message);
        } else {
          applyEntry(index, c);
        }
      }
    }

    private void applyEntry(long index, Checked c) {
      NodeState signer = node(c.signer);
      if (c.entry instanceof KeyRotationEntry r) {
        if (signer.key != null && !signer.key.equals(r.oldPublicKeyHex())) {
          fail(index, ErrorCode.KEY_MISMATCH, "the rotation of " + c.signer + " starts from key "
              + r.oldPublicKeyHex() + ", but the key pinned for it is " + signer.key);
          return;
        }
        if (c.signed && !unique(index, c)) {
          return;
        }
        signer.key = r.newPublicKeyHex();
        signer.rotations++;
        rotations++;
        return;
      }
      if (signer.key != null && !signer.key.equals(c.key)) {
        fail(index, ErrorCode.KEY_MISMATCH, c.signer + " signed with key " + c.key
            + ", but the key pinned for it is " + signer.key + " and no rotation entry changed it");
        return;
      }
      if (!unique(index, c)) {
        return;
      }
      signer.key = c.key;
      long workUnits;
      if (c.entry instanceof JobEntry j) {
        jobs++;
        workUnits = j.payload().workUnits();
      } else {
        tasks++;
        workUnits = ((TaskEntry) c.entry).payload().workUnits();
      }
      NodeState credited = node(c.entry.nodeId().value());
      credited.proofs++;
      credited.addWork(workUnits);
    }

    private boolean unique(long index, Checked c) {
      if (signatures.add(c.fpHi, c.fpLo)) {
        return true;
      }
      duplicates++;
      fail(index, ErrorCode.REPLAYED_PROOF, "the entry repeats the signature of an earlier entry");
      return false;
    }

    private NodeState node(String id) {
      NodeState s = nodes.get(id);
      if (s == null) {
        if (nodes.size() >= maxNodes) {
          throw new KasComputeException(ErrorCode.BODY_TOO_LARGE, "entry " + range.size()
              + " names more than " + maxNodes + " distinct node ids, the limit of this audit"
              + " (about 250 bytes of memory each): raise it");
        }
        s = new NodeState();
        nodes.put(id, s);
      }
      return s;
    }

    private void fail(long index, ErrorCode code, String message) {
      AuditReport.EntryFailure f = new AuditReport.EntryFailure(index, code, message);
      if (first == null) {
        first = f;
      }
      failures++;
      codes.merge(code, 1L, Long::sum);
      sink.accept(f);
    }

    AuditReport report(long beyond) {
      Map<String, AuditReport.NodeSummary> summary = new HashMap<>();
      nodes.forEach((id, s) -> summary.put(id, new AuditReport.NodeSummary(
          s.proofs, s.work(), s.rotations, Optional.ofNullable(s.key))));
      return new AuditReport(checkpoint, range.size(), beyond, range.root(), jobs, tasks,
          rotations, failures, codes, Optional.ofNullable(first), duplicates, summary);
    }
  }

  // ---- reading lines -------------------------------------------------------------------------------

  /** A line's bytes, or (for a line beyond the leaf limit) null and its leaf hash. */
  private record Line(byte[] bytes, byte[] leafHash) {}

  /**
   * Splits a stream on LF into at most {@code limit} lines handed over in batches, then counts the
   * remaining lines. A last line without LF counts; an empty input has no lines. A line longer
   * than the leaf limit is hashed as it streams by, never held.
   */
  private static final class LineSplitter {
    private final InputStream in;
    private final long limit;
    private final byte[] chunk = new byte[CHUNK];
    private byte[] line = new byte[1024];
    private int length;
    private MessageDigest overflow;
    private long lines;
    private List<Line> batch = new ArrayList<>(BATCH_LINES);

    LineSplitter(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    /** Hands over the lines up to the limit; returns the count of lines after it. */
    long split(Consumer<List<Line>> submit) throws IOException {
      long beyond = 0;
      boolean pending = false;
      int n;
      while ((n = in.read(chunk)) != -1) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] != '\n') {
            continue;
          }
          if (lines < limit) {
            append(start, i - start);
            endLine(submit);
          } else {
            beyond++;
          }
          pending = false;
          start = i + 1;
        }
        if (start < n) {
          if (lines < limit) {
            append(start, n - start);
          }
          pending = true;
        }
      }
      if (pending) {
        if (lines < limit) {
          endLine(submit);
        } else {
          beyond++;
        }
      }
      if (!batch.isEmpty()) {
        submit.accept(batch);
      }
      return beyond;
    }

    private void append(int off, int len) {
      if (overflow == null && length + len > LedgerEntry.MAX_LEAF_BYTES) {
        overflow = Sha256Digest.newMessageDigest();
        overflow.update((byte) 0);
        overflow.update(line, 0, length);
      }
      if (overflow != null) {
        overflow.update(chunk, off, len);
        return;
      }
      if (length + len > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + len));
      }
      System.arraycopy(chunk, off, line, length, len);
      length += len;
    }

    private void endLine(Consumer<List<Line>> submit) {
      lines++;
      batch.add(overflow != null ? new Line(null, overflow.digest())
          : new Line(Arrays.copyOf(line, length), null));
      overflow = null;
      length = 0;
      if (batch.size() == BATCH_LINES) {
        submit.accept(batch);
        batch = new ArrayList<>(BATCH_LINES);
      }
    }
  }

  @Override
  public String toString() {
    return "LedgerAuditor[parallelism=" + parallelism + ", maxNodes=" + maxNodes
        + ", maxSignatures=" + maxSignatures + "]";
  }
}
