package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.wire.JobProofSubmission;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Verifies a JSON Lines stream of job proof submissions (one request body per line) for auditors:
 * streaming with bounded memory, verification spread over an executor the caller owns, results
 * delivered in input order, and a summary at the end.
 *
 * <p>Lines are numbered from 1 and split on LF (a trailing CR is dropped). Blank lines (only
 * spaces, tabs or nothing) are skipped: they get no result and are not counted, but they keep
 * their number. A line that is not a valid submission gets an invalid result with its reason
 * (for example {@code malformed_json}, {@code missing_field}, {@code body_too_large}) and the run
 * goes on.
 */
public final class BulkVerifier {
  private static final int BATCH_LINES = 256;
  private static final int CHUNK = 1 << 16;

  private final ProofVerifier verifier;
  private final Executor executor;
  private final int parallelism;

  private BulkVerifier(ProofVerifier verifier, Executor executor, int parallelism) {
    this.verifier = verifier;
    this.executor = executor;
    this.parallelism = parallelism;
  }

  /**
   * A bulk verifier that runs batches of lines on {@code executor}, keeping at most {@code 2 *
   * parallelism} batches in flight; {@code parallelism} should match the executor's threads.
   */
  public static BulkVerifier create(ProofVerifier verifier, Executor executor, int parallelism) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    return new BulkVerifier(verifier, executor, parallelism);
  }

  /**
   * Reads {@code in} to its end, hands each non-blank line's result to {@code sink} in input order
   * (on the calling thread) and returns the summary.
   *
   * @throws IOException if reading {@code in} fails; results already delivered stay delivered
   */
  public Summary verify(InputStream in, Consumer<LineResult> sink) throws IOException {
    SummaryBuilder summary = new SummaryBuilder();
    ArrayDeque<CompletableFuture<List<LineResult>>> inFlight = new ArrayDeque<>();
    Consumer<List<Line>> submit = batch -> {
      if (inFlight.size() >= 2 * parallelism) {
        drainOne(inFlight, sink, summary);
      }
      inFlight.add(CompletableFuture.supplyAsync(() -> verifyBatch(batch), executor));
    };
    new LineSplitter(in, verifier.limits().maxBytes()).forEachBatch(submit);
    while (!inFlight.isEmpty()) {
      drainOne(inFlight, sink, summary);
    }
    return summary.build();
  }

  private static void drainOne(
      ArrayDeque<CompletableFuture<List<LineResult>>> inFlight,
      Consumer<LineResult> sink,
      SummaryBuilder summary) {
    List<LineResult> results;
    try {
      results = inFlight.poll().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    for (LineResult r : results) {
      summary.add(r);
      sink.accept(r);
    }
  }

  private List<LineResult> verifyBatch(List<Line> batch) {
    List<LineResult> out = new ArrayList<>(batch.size());
    for (Line line : batch) {
      out.add(verifyLine(line));
    }
    return out;
  }

  private LineResult verifyLine(Line line) {
    if (line.tooLong) {
      return new LineResult(
          line.number,
          Verdict.invalid(
              ErrorCode.BODY_TOO_LARGE,
              "line is longer than " + verifier.limits().maxBytes() + " bytes"),
          Optional.empty());
    }
    JobProofSubmission submission;
    try {
      submission = verifier.parseJobProof(line.bytes, 0, line.bytes.length);
    } catch (KasComputeException e) {
      return new LineResult(line.number, Verdict.of(e), Optional.empty());
    }
    return new LineResult(line.number, verifier.verifyJobProof(submission), Optional.of(submission));
  }

  /**
   * The result for one input line.
   *
   * @param lineNumber the 1-based line number in the input
   * @param verdict valid, or invalid with its reason
   * @param submission the parsed submission, empty when the line could not be parsed as one
   */
  public record LineResult(long lineNumber, Verdict verdict, Optional<JobProofSubmission> submission) {
    /** Checks that nothing is null. */
    public LineResult {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(submission, "submission");
    }
  }

  /**
   * Per-node totals: valid and invalid proofs, and the work units of the valid ones.
   *
   * @param validProofs proofs of this node that verified
   * @param invalidProofs parsed proofs naming this node that did not verify
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
   * @param lines non-blank lines seen
   * @param valid lines whose proof verified
   * @param invalid lines refused, whatever the reason
   * @param reasons count of invalid lines per reason code
   * @param nodes totals per node id (code point order) over lines that parsed
   */
  public record Summary(
      long lines, long valid, long invalid, Map<ErrorCode, Long> reasons, Map<NodeId, NodeTally> nodes) {
    /** Copies the maps. */
    public Summary {
      EnumMap<ErrorCode, Long> r = new EnumMap<>(ErrorCode.class);
      r.putAll(reasons);
      reasons = Collections.unmodifiableMap(r);
      nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    }
  }

  private static final class SummaryBuilder {
    private long lines;
    private long valid;
    private final EnumMap<ErrorCode, Long> reasons = new EnumMap<>(ErrorCode.class);
    private final Map<NodeId, Tally> nodes = new HashMap<>();

    void add(LineResult r) {
      lines++;
      boolean ok = r.verdict() instanceof Verdict.Valid;
      if (ok) {
        valid++;
      } else {
        reasons.merge(((Verdict.Invalid) r.verdict()).code(), 1L, Long::sum);
      }
      if (r.submission().isPresent()) {
        JobProofSubmission s = r.submission().get();
        Tally t = nodes.computeIfAbsent(s.nodeId(), k -> new Tally());
        if (ok) {
          t.valid++;
          t.addWork(s.workUnits());
        } else {
          t.invalid++;
        }
      }
    }

    Summary build() {
      Map<NodeId, NodeTally> tallies = new TreeMap<>();
      nodes.forEach((id, t) -> tallies.put(id, new NodeTally(t.valid, t.invalid, t.work())));
      return new Summary(lines, valid, lines - valid, reasons, tallies);
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

    BigInteger work() {
      return BigInteger.valueOf(workHigh).shiftLeft(64)
          .add(new BigInteger(Long.toUnsignedString(workLow)));
    }
  }

  /** One line; {@code tooLong} lines carry no bytes. */
  private record Line(long number, byte[] bytes, boolean tooLong) {}

  /** Splits a stream into lines without holding more than one line (up to the limit) at a time. */
  private static final class LineSplitter {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK];
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean overflow;
    private long number;
    private List<Line> batch = new ArrayList<>(BATCH_LINES);

    LineSplitter(InputStream in, int maxLineBytes) {
      this.in = in;
      this.maxLineBytes = maxLineBytes;
    }

    void forEachBatch(Consumer<List<Line>> submit) throws IOException {
      int n;
      boolean pending = false;
      while ((n = in.read(chunk)) != -1) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            append(start, i - start);
            endLine(submit);
            pending = false;
            start = i + 1;
          }
        }
        if (start < n) {
          append(start, n - start);
          pending = true;
        }
      }
      if (pending) {
        endLine(submit);
      }
      if (!batch.isEmpty()) {
        submit.accept(batch);
      }
    }

    private void append(int off, int len) {
      if (overflow || len == 0) {
        return;
      }
      if (lineLength + len > maxLineBytes + 1) {
        overflow = true;
        return;
      }
      if (lineLength + len > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + len));
      }
      System.arraycopy(chunk, off, line, lineLength, len);
      lineLength += len;
    }

    private void endLine(Consumer<List<Line>> submit) {
      number++;
      int len = lineLength;
      if (!overflow && len > 0 && line[len - 1] == '\r') {
        len--;
      }
      if (overflow || len > maxLineBytes) {
        batch.add(new Line(number, new byte[0], true));
      } else if (!isBlank(len)) {
        batch.add(new Line(number, Arrays.copyOf(line, len), false));
      }
      lineLength = 0;
      overflow = false;
      if (batch.size() == BATCH_LINES) {
        submit.accept(batch);
        batch = new ArrayList<>(BATCH_LINES);
      }
    }

    private boolean isBlank(int len) {
      for (int i = 0; i < len; i++) {
        byte b = line[i];
        if (b != ' ' && b != '\t') {
          return false;
        }
      }
      return true;
    }
  }
}
