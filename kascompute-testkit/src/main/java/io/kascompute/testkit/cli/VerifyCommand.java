package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.crypto.BulkVerifier;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code kascompute verify [--json] [--threads N] [--max-nodes N] [FILE|-]}: audits JSON Lines of job proofs. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies JSON Lines of V1 job-proof records offline against the key each carries"
          + " (public_key_hex), in both signature schemes: the digest scheme (the payload rebuilt"
          + " from the fields with V1's defaults, its SHA-256 against proof_hash when present,"
          + " Ed25519 over the digest) and the launcher scheme (Ed25519 over"
          + " pf|node_id|job_id|work_units|ts, for records without proof_hash or miner_id)."
          + " Streaming, on several threads, results in input order.",
      "Without --json, each invalid line is printed as 'line N: <reason>: <message>'. With"
          + " --json, every non-blank line gives one JSON line:"
          + " {\"line\":N,\"valid\":true,\"scheme\":\"digest\"|\"launcher\"} or"
          + " {\"line\":N,\"valid\":false,\"reason\":\"<error code>\",\"node_id\":\"...\",\"job_id\":N}"
          + " (node_id and job_id when the line holds them). Blank lines are skipped but keep"
          + " their number. A summary (counts per reason; per node: proofs and work units) goes"
          + " to stderr; it lists at most --max-nodes nodes and sums the rest into one line.",
      "Exit codes: 0 every proof valid; 1 the input was read and some proof is invalid;"
          + " 2 unreadable input or usage error; 3 internal failure. Errors are one line on stderr."
    })
final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "One JSON result per input line.")
  private boolean json;

  @Option(names = "--threads", paramLabel = "N",
      description = "Verification threads (default: the number of processors).")
  private int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-nodes", paramLabel = "N",
      description = "Nodes tallied one by one in the summary (default: "
          + BulkVerifier.DEFAULT_MAX_NODES + "); the lines of further nodes are summed into one"
          + " 'other nodes' line, so memory stays bounded.")
  private int maxNodes = BulkVerifier.DEFAULT_MAX_NODES;

  @Parameters(arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
      description = "JSON Lines input; '-' or nothing reads stdin.")
  private String file;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    return Exits.run(err, () -> {
      if (threads < 1 || maxNodes < 0) {
        return Exits.usage(err, threads < 1 ? "--threads must be >= 1, got " + threads
            : "--max-nodes must be >= 0, got " + maxNodes);
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads, new Workers());
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      Output output = new Output(out, json);
      BulkVerifier.Summary summary;
      try (InputStream in = Exits.open(file)) {
        summary = BulkVerifier.create(ProofVerifier.create(), pool, threads, maxNodes)
            .verify(Exits.reading(in, file), output);
      } finally {
        pool.shutdownNow();
        output.flush();
      }
      printSummary(err, summary);
      return summary.invalid() == 0 ? Exits.OK : Exits.INVALID;
    });
  }

  /** Daemon threads named {@code kascompute-verify}. */
  private static final class Workers implements ThreadFactory {
    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "kascompute-verify");
      t.setDaemon(true);
      return t;
    }
  }

  /** Writes one result line at a time into a reused buffer. */
  private static final class Output implements Consumer<BulkVerifier.LineResult> {
    private final OutputStream out;
    private final boolean json;
    private final JsonWriter w = new JsonWriter(256);

    Output(OutputStream out, boolean json) {
      this.out = out;
      this.json = json;
    }

    @Override
    public void accept(BulkVerifier.LineResult r) {
      w.reset();
      if (json) {
        w.raw("{\"line\":").raw(Long.toString(r.lineNumber()));
        if (r.verdict() instanceof Verdict.Valid v) {
          w.raw(",\"valid\":true,\"scheme\":\"").raw(v.signedWith().wireName()).raw("\"}\n");
        } else {
          Verdict.Invalid i = (Verdict.Invalid) r.verdict();
          w.raw(",\"valid\":false,\"reason\":\"").raw(i.code().wireName()).raw('"');
          if (r.nodeId().isPresent()) {
            w.raw(',').key("node_id").string(r.nodeId().get().value());
          }
          if (r.jobId().isPresent()) {
            w.raw(",\"job_id\":").unsigned(r.jobId().getAsLong());
          }
          w.raw("}\n");
        }
      } else if (r.verdict() instanceof Verdict.Invalid i) {
        byte[] message = i.message().replace('\r', ' ').replace('\n', ' ')
            .getBytes(StandardCharsets.UTF_8);
        w.raw("line ").raw(Long.toString(r.lineNumber())).raw(": ").raw(i.code().wireName())
            .raw(": ").raw(message, 0, message.length).raw('\n');
      } else {
        return;
      }
      try {
        out.write(w.buffer(), 0, w.size());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void flush() throws IOException {
      out.flush();
    }
  }

  private static void printSummary(PrintWriter err, BulkVerifier.Summary s) {
    err.println("verified " + s.lines() + " proofs: " + s.valid() + " valid, " + s.invalid()
        + " invalid");
    for (Map.Entry<ErrorCode, Long> e : s.reasons().entrySet()) {
      err.println("  " + e.getKey().wireName() + ": " + e.getValue());
    }
    for (Map.Entry<NodeId, BulkVerifier.NodeTally> e : s.nodes().entrySet()) {
      err.println("  node " + Exits.quoted(e.getKey().value()) + ": " + tally(e.getValue()));
    }
    if (s.nodesTruncated()) {
      err.println("  other nodes (beyond the first " + s.nodes().size() + "): "
          + tally(s.otherNodes()));
    }
    err.flush();
  }

  private static String tally(BulkVerifier.NodeTally t) {
    return t.validProofs() + " valid, " + t.invalidProofs() + " invalid, work_units "
        + t.workUnits();
  }

  /**
   * The exit codes and one-line errors of the proof commands ({@code verify}, {@code sign},
   * {@code keygen}): 0 success, 1 the input was read and something in it is invalid, 2 unreadable
   * input or usage error, 3 internal failure; every error is one line on stderr that names the
   * file and never an exception class.
   */
  static final class Exits {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 3;

    private Exits() {}

    /** Runs {@code body}, turning what it throws into an error line and an exit code. */
    static int run(PrintWriter err, Callable<Integer> body) {
      try {
        return body.call();
      } catch (KasComputeException e) {
        return fail(err, USAGE, "error: " + e.code().wireName() + ": " + e.getMessage());
      } catch (Unreadable e) {
        return fail(err, USAGE, "error: io: " + e.getMessage());
      } catch (IOException | UncheckedIOException e) {
        IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
        return fail(err, INTERNAL, "error: io: cannot write the output: " + reason(io));
      } catch (Exception | OutOfMemoryError | StackOverflowError e) {
        String m = e.getMessage();
        return fail(err, INTERNAL, "error: internal: "
            + (m == null || m.isBlank() ? "unexpected failure" : m));
      }
    }

    static int usage(PrintWriter err, String message) {
      return fail(err, USAGE, "error: usage: " + message);
    }

    private static int fail(PrintWriter err, int code, String line) {
      err.println(line.replace('\r', ' ').replace('\n', ' '));
      err.flush();
      return code;
    }

    /** Opens {@code file} (or stdin for {@code -}, which closing leaves open). */
    static InputStream open(String file) throws Unreadable {
      if ("-".equals(file)) {
        return new FilterInputStream(System.in) {
          @Override
          public void close() {}
        };
      }
      try {
        return Files.newInputStream(Path.of(file));
      } catch (IOException | RuntimeException e) {
        throw new Unreadable("cannot read " + file + ": " + reason(e));
      }
    }

    /** Reads all of {@code file} (or stdin). */
    static byte[] readAll(String file) throws Unreadable {
      try (InputStream in = open(file)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw e instanceof Unreadable u ? u : new Unreadable(
            "cannot read " + ("-".equals(file) ? "standard input" : file) + ": " + reason(e));
      }
    }

    /** {@code in}, whose read failures become {@link Unreadable} errors naming {@code file}. */
    static InputStream reading(InputStream in, String file) {
      String name = "-".equals(file) ? "standard input" : file;
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          try {
            return super.read();
          } catch (IOException e) {
            throw new Unreadable("cannot read " + name + ": " + reason(e));
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return super.read(b, off, len);
          } catch (IOException e) {
            throw new Unreadable("cannot read " + name + ": " + reason(e));
          }
        }
      };
    }

    /** What went wrong, in words rather than an exception class. */
    static String reason(Exception e) {
      if (e instanceof NoSuchFileException) {
        return "no such file";
      }
      if (e instanceof AccessDeniedException) {
        return "permission denied";
      }
      String m = e.getMessage();
      return m == null || m.isBlank() ? "input/output error" : m;
    }

    /** A value as a JSON string, so that control characters stay visible and on one line. */
    static String quoted(String value) {
      JsonWriter w = new JsonWriter(value.length() + 2);
      try {
        w.string(value);
      } catch (KasComputeException e) {
        return "(an id with a lone surrogate)";
      }
      return new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8);
    }
  }

  /** Input that cannot be read: exit code 2. */
  static final class Unreadable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }
}
