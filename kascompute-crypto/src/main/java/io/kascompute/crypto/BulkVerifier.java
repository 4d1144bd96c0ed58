package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.crypto.internal.Swar;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * Verifies a JSON Lines stream of job proof records (one request body per line, each with its
 * {@code public_key_hex}) for auditors: streaming with bounded memory, verification spread over an
 * executor the caller owns, results delivered in input order, and a summary at the end.
 *
 * <p>Lines are numbered from 1 and split on LF (a trailing CR is dropped). Blank lines (only
 * spaces, tabs or nothing) are skipped: they get no result and are not counted, but they keep
 * their number. A line that is not a valid record gets an invalid result with its reason (for
 * example {@code malformed_json}, {@code missing_field}, {@code body_too_large}) and the run goes
 * on. Every verdict is the one {@link ProofVerifier#verifyJobProofJson} gives the line.
 *
 * <p>The calling thread only reads: it cuts the input into batches of about {@value #BATCH_BYTES}
 * bytes at line ends, and the executor's threads split, parse and verify them, each reusing its
 * buffers and keeping its own table of decoded keys. Memory is bounded: at most {@code 2 *
 * parallelism} batches are in flight, a line longer than the verifier's byte limit is never held
 * whole, and the per-node table of the summary holds at most {@code maxNodes} nodes (see {@link
 * Summary}).
 */
public final class BulkVerifier {
  /** The default bound on nodes tallied one by one in the summary. */
  public static final int DEFAULT_MAX_NODES = 100_000;

  /** The characters of node ids the per-node table may hold, per node of its bound. */
  public static final int ID_CHARS_PER_NODE = 64;

  private static final int BATCH_BYTES = 1 << 16;

  private final ProofVerifier verifier;
  private final Executor executor;
  private final int parallelism;
  private final int maxNodes;

  private BulkVerifier(ProofVerifier verifier, Executor executor, int parallelism, int maxNodes) {
    this.verifier = verifier;
    this.executor = executor;
    this.parallelism = parallelism;
    this.maxNodes = maxNodes;
  }

  /**
   * A bulk verifier that runs batches of lines on {@code executor}, keeping at most {@code 2 *
   * parallelism} batches in flight ({@code parallelism} should match the executor's threads), and
   * tallies up to {@value #DEFAULT_MAX_NODES} nodes one by one.
   */
  public static BulkVerifier create(ProofVerifier verifier, Executor executor, int parallelism) {
    return create(verifier, executor, parallelism, DEFAULT_MAX_NODES);
  }

  /**
   * A bulk verifier as {@link #create(ProofVerifier, Executor, int)} whose summary tallies at most
   * {@code maxNodes} nodes one by one (and at most {@value #ID_CHARS_PER_NODE} times as many
   * characters of their ids); every further node is summed into {@link Summary#otherNodes()}.
   */
  public static BulkVerifier create(
      ProofVerifier verifier, Executor executor, int parallelism, int maxNodes) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    if (maxNodes < 0) {
      throw new IllegalArgumentException("maxNodes must be >= 0, got " + maxNodes);
    }
    return new BulkVerifier(verifier, executor, parallelism, maxNodes);
  }

  /**
   * Reads {@code in} to its end, hands each non-blank line's result to {@code sink} in input order
   * (on the calling thread) and returns the summary.
   *
   * @throws IOException if reading {@code in} fails; results already delivered stay delivered
   */
  public Summary verify(InputStream in, Consumer<LineResult> sink) throws IOException {
    Tallies tallies = new Tallies(maxNodes);
    ConcurrentLinkedQueue<ProofVerifier.LineState> states = new ConcurrentLinkedQueue<>();
    ArrayDeque<FutureTask<Batch>> inFlight = new ArrayDeque<>();
    BatchReader reader = new BatchReader(in, verifier.limits().maxBytes());
    long base = 0;
    for (Batch batch = reader.next(); batch != null; batch = reader.next()) {
      if (inFlight.size() >= 2 * parallelism) {
        base = deliver(await(inFlight.poll()), base, sink, tallies);
      }
      FutureTask<Batch> task = new FutureTask<>(new BatchTask(batch, states));
      executor.execute(task);
      inFlight.add(task);
    }
    while (!inFlight.isEmpty()) {
      base = deliver(await(inFlight.poll()), base, sink, tallies);
    }
    return tallies.build();
  }

  private static Batch await(FutureTask<Batch> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long deliver(Batch b, long base, Consumer<LineResult> sink, Tallies tallies) {
    for (int k = 0; k < b.results; k++) {
      NodeId node = b.nodes[k];
      LineResult r = new LineResult(base + b.lineOf[k], b.verdicts[k], Optional.ofNullable(node),
          b.hasJobId[k] ? OptionalLong.of(b.jobIds[k]) : OptionalLong.empty());
      tallies.add(r.verdict(), node, b.workUnits[k]);
      sink.accept(r);
    }
    return base + b.lines;
  }

  /** Verifies one batch on a worker thread with a reused set of buffers. */
  private final class BatchTask implements Callable<Batch> {
    private final Batch batch;
    private final ConcurrentLinkedQueue<ProofVerifier.LineState> states;

    BatchTask(Batch batch, ConcurrentLinkedQueue<ProofVerifier.LineState> states) {
      this.batch = batch;
      this.states = states;
    }

    @Override
    public Batch call() {
      ProofVerifier.LineState state = states.poll();
      if (state == null) {
        state = new ProofVerifier.LineState(verifier.keyTableSize());
      }
      try {
        batch.verify(verifier, state);
      } finally {
        states.offer(state);
      }
      return batch;
    }
  }

  /**
   * The result for one input line.
   *
   * @param lineNumber the 1-based line number in the input
   * @param verdict valid with its scheme, or invalid with its reason
   * @param nodeId the record's {@code node_id}, when the line is a JSON object with a string there
   * @param jobId the record's {@code job_id}, when the line is a JSON object with an unsigned
   *     64-bit integer there
   */
  public record LineResult(
      long lineNumber, Verdict verdict, Optional<NodeId> nodeId, OptionalLong jobId) {
    /** Checks that nothing is null. */
    public LineResult {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /**
   * Totals of valid and invalid proofs and of the work units of the valid ones.
   *
   * @param validProofs proofs that verified
   * @param invalidProofs lines naming the node (see {@link LineResult#nodeId()}) that did not
   *     verify
   * @param workUnits the sum of {@code work_units} over the valid proofs
   */
  public record NodeTally(long validProofs, long invalidProofs, BigInteger workUnits) {
    /** Checks that nothing is null. */
    public NodeTally {
      Objects.requireNonNull(workUnits, "workUnits");
    }
  }

  /**
   * The totals of a run.
   *
   * <p>The per-node table is bounded: the first {@code maxNodes} distinct node ids seen (while
   * their ids hold at most {@value #ID_CHARS_PER_NODE} characters per node of the bound) are
   * tallied one by one in {@link #nodes()}; the lines of every later node are summed into {@link
   * #otherNodes()}, so that the totals stay exact and memory stays bounded however many nodes the
   * input names.
   *
   * @param lines non-blank lines seen
   * @param valid lines whose proof verified
   * @param invalid lines refused, whatever the reason
   * @param reasons count of invalid lines per reason code
   * @param nodes totals per node id (code point order) for the nodes in the table
   * @param otherNodes the totals of all nodes that did not fit in the table (zero if none)
   */
  public record Summary(
      long lines, long valid, long invalid, Map<ErrorCode, Long> reasons,
      Map<NodeId, NodeTally> nodes, NodeTally otherNodes) {
    /** Copies the maps and checks that nothing is null. */
    public Summary {
      EnumMap<ErrorCode, Long> r = new EnumMap<>(ErrorCode.class);
      r.putAll(reasons);
      reasons = Collections.unmodifiableMap(r);
      nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
      Objects.requireNonNull(otherNodes, "otherNodes");
    }

    /** Whether some nodes were summed into {@link #otherNodes()} instead of tallied one by one. */
    public boolean nodesTruncated() {
      return otherNodes.validProofs() + otherNodes.invalidProofs() > 0;
    }
  }

  /** The running totals, on the calling thread. */
  private static final class Tallies {
    private final int maxNodes;
    private final long maxIdChars;
    private final EnumMap<ErrorCode, Long> reasons = new EnumMap<>(ErrorCode.class);
    private final HashMap<NodeId, Tally> table = new HashMap<>();
    private final Tally other = new Tally();
    private long idChars;
    private long lines;
    private long valid;

    Tallies(int maxNodes) {
      this.maxNodes = maxNodes;
      this.maxIdChars = (long) maxNodes * ID_CHARS_PER_NODE;
    }

    void add(Verdict verdict, NodeId node, long workUnits) {
      lines++;
      boolean ok = verdict instanceof Verdict.Valid;
      if (ok) {
        valid++;
      } else {
        ErrorCode code = ((Verdict.Invalid) verdict).code();
        Long count = reasons.get(code);
        reasons.put(code, count == null ? 1L : count + 1);
      }
      if (node == null) {
        return;
      }
      Tally t = table.get(node);
      if (t == null) {
        int chars = node.value().length();
        if (table.size() < maxNodes && idChars + chars <= maxIdChars) {
          t = new Tally();
          table.put(node, t);
          idChars += chars;
        } else {
          t = other;
        }
      }
      if (ok) {
        t.valid++;
        t.addWork(workUnits);
      } else {
        t.invalid++;
      }
    }

    Summary build() {
      TreeMap<NodeId, NodeTally> tallies = new TreeMap<>();
      for (Map.Entry<NodeId, Tally> e : table.entrySet()) {
        tallies.put(e.getKey(), e.getValue().tally());
      }
      return new Summary(lines, valid, lines - valid, reasons, tallies, other.tally());
    }
  }

  /** One node's running totals; work units are summed as an unsigned 128-bit number. */
  private static final class Tally {
    private long valid;
    private long invalid;
    private long workLow;
    private long workHigh;

    void addWork(long unsignedWorkUnits) {
      workLow += unsignedWorkUnits;
      if (Long.compareUnsigned(workLow, unsignedWorkUnits) < 0) {
        workHigh++;
      }
    }

    NodeTally tally() {
      BigInteger work = BigInteger.valueOf(workHigh).shiftLeft(64)
          .add(new BigInteger(Long.toUnsignedString(workLow)));
      return new NodeTally(valid, invalid, work);
    }
  }

  /**
   * Whole lines of the input (or one line too long to hold, {@code bytes == null}), verified on a
   * worker thread, which fills in the results.
   */
  private static final class Batch {
    private final byte[] bytes;
    private int lines;
    private int results;
    private int[] lineOf;
    private Verdict[] verdicts;
    private NodeId[] nodes;
    private boolean[] hasJobId;
    private long[] jobIds;
    private long[] workUnits;

    Batch(byte[] bytes) {
      this.bytes = bytes;
    }

    void verify(ProofVerifier verifier, ProofVerifier.LineState state) {
      int maxLine = verifier.limits().maxBytes();
      if (bytes == null) {
        allocate(1);
        lines = 1;
        add(1, Verdict.invalid(ErrorCode.BODY_TOO_LARGE, "line is longer than " + maxLine
            + " bytes"), null, false, 0, 0);
        return;
      }
      allocate(Math.max(16, bytes.length / 256));
      byte[] b = bytes;
      int n = b.length;
      int i = 0;
      int line = 0;
      while (i < n) {
        int nl = Swar.indexOfNewline(b, i, n);
        int e = nl < 0 ? n : nl;
        line++;
        int end = e > i && b[e - 1] == '\r' ? e - 1 : e;
        if (!isBlank(b, i, end)) {
          if (end - i > maxLine) {
            add(line, Verdict.invalid(ErrorCode.BODY_TOO_LARGE,
                "line is longer than " + maxLine + " bytes"), null, false, 0, 0);
          } else {
            ProofVerifier.LineOutcome o = verifier.verifyLine(b, i, end - i, state);
            add(line, o.verdict, o.nodeId, o.hasJobId, o.jobId, o.workUnits);
          }
        }
        i = e + 1;
      }
      lines = line;
    }

    private void allocate(int capacity) {
      lineOf = new int[capacity];
      verdicts = new Verdict[capacity];
      nodes = new NodeId[capacity];
      hasJobId = new boolean[capacity];
      jobIds = new long[capacity];
      workUnits = new long[capacity];
    }

    private void add(
        int line, Verdict verdict, NodeId node, boolean hasJob, long jobId, long work) {
      if (results == lineOf.length) {
        int c = results * 2;
        lineOf = Arrays.copyOf(lineOf, c);
        verdicts = Arrays.copyOf(verdicts, c);
        nodes = Arrays.copyOf(nodes, c);
        hasJobId = Arrays.copyOf(hasJobId, c);
        jobIds = Arrays.copyOf(jobIds, c);
        workUnits = Arrays.copyOf(workUnits, c);
      }
      lineOf[results] = line;
      verdicts[results] = verdict;
      nodes[results] = node;
      hasJobId[results] = hasJob;
      jobIds[results] = jobId;
      workUnits[results++] = work;
    }

    private static boolean isBlank(byte[] b, int s, int e) {
      for (int i = s; i < e; i++) {
        if (b[i] != ' ' && b[i] != '\t') {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Cuts a stream into batches of whole lines of about {@value #BATCH_BYTES} bytes, never holding
   * more than one line of the byte limit (plus CR and LF) beyond that.
   */
  private static final class BatchReader {
    private final InputStream in;
    private final int maxLine;
    private byte[] buf;
    private int n;
    private int searched;
    private boolean eof;
    private boolean skipping;

    BatchReader(InputStream in, int maxLine) {
      this.in = in;
      this.maxLine = maxLine;
      this.buf = new byte[2 * BATCH_BYTES];
    }

    /** The next batch, or null at the end of the input. */
    Batch next() throws IOException {
      while (true) {
        if (skipping) {
          int nl = Swar.indexOfNewline(buf, 0, n);
          if (nl >= 0) {
            shift(nl + 1);
            skipping = false;
            continue;
          }
          n = 0;
          if (eof) {
            return null;
          }
          fill();
          continue;
        }
        if (n >= BATCH_BYTES || eof && n > 0) {
          int cut = lastIndexOf(buf, searched, n);
          searched = n;
          if (cut >= 0) {
            Batch b = new Batch(Arrays.copyOf(buf, cut + 1));
            shift(cut + 1);
            return b;
          }
          if (eof) {
            Batch b = new Batch(Arrays.copyOf(buf, n));
            n = 0;
            searched = 0;
            return b;
          }
          if (n > maxLine + 1) {
            // One line, still without its end, already longer than the limit (CR aside).
            skipping = true;
            n = 0;
            searched = 0;
            return new Batch(null);
          }
        }
        if (eof) {
          return null;
        }
        fill();
      }
    }

    private void fill() throws IOException {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        eof = true;
      } else {
        n += r;
      }
    }

    private void shift(int k) {
      System.arraycopy(buf, k, buf, 0, n - k);
      n -= k;
      searched = 0;
    }

    /** The last LF in {@code b[from..to)}, or -1. */
    private static int lastIndexOf(byte[] b, int from, int to) {
      for (int i = to - 1; i >= from; i--) {
        if (b[i] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }
}
