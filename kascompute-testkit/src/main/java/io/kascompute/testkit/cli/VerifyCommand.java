package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.crypto.BulkVerifier;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kascompute verify [--json] [--threads N] [FILE|-]}: audits JSON Lines of job proofs. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies JSON Lines of V1 job-proof submissions offline (rebuilt payload, proof_hash,"
          + " Ed25519 signature), streaming, on several threads, results in input order.",
      "Without --json, each invalid line is printed as 'line N: <reason>: <message>'. With"
          + " --json, every non-blank line gives one JSON line {\"line\":N,\"valid\":true} or"
          + " {\"line\":N,\"valid\":false,\"reason\":\"<error code>\"}; 'reason' is absent when"
          + " valid. Blank lines are skipped but keep their number. A summary (counts per"
          + " reason, per node proofs and work units) goes to stderr.",
      "Exit codes: 0 all valid, 1 any invalid, 2 input unreadable."
    })
final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "One JSON result per input line.")
  private boolean json;

  @Option(names = "--threads", paramLabel = "N",
      description = "Verification threads (default: the number of processors).")
  private int threads = Runtime.getRuntime().availableProcessors();

  @Parameters(arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
      description = "JSON Lines input; '-' or nothing reads stdin.")
  private String file;

  @Override
  public Integer call() {
    return CliSupport.run(spec, () -> {
      if (threads < 1) {
        spec.commandLine().getErr().println("error: --threads must be >= 1, got " + threads);
        spec.commandLine().getErr().flush();
        return CliSupport.BAD_INPUT;
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "kascompute-verify");
        t.setDaemon(true);
        return t;
      });
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      BulkVerifier.Summary summary;
      try (InputStream in = CliSupport.openInput(file)) {
        summary = BulkVerifier.create(ProofVerifier.create(), pool, threads)
            .verify(in, r -> write(out, r));
      } finally {
        pool.shutdownNow();
        out.flush();
      }
      printSummary(spec.commandLine().getErr(), summary);
      return summary.invalid() == 0 ? CliSupport.OK : CliSupport.FAILURE;
    });
  }

  private void write(OutputStream out, BulkVerifier.LineResult r) {
    String text;
    if (json) {
      text = r.verdict() instanceof Verdict.Invalid i
          ? "{\"line\":" + r.lineNumber() + ",\"valid\":false,\"reason\":\""
              + i.code().wireName() + "\"}\n"
          : "{\"line\":" + r.lineNumber() + ",\"valid\":true}\n";
    } else if (r.verdict() instanceof Verdict.Invalid i) {
      text = "line " + r.lineNumber() + ": " + i.code().wireName() + ": "
          + i.message().replace('\n', ' ').replace('\r', ' ') + "\n";
    } else {
      return;
    }
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void printSummary(PrintWriter err, BulkVerifier.Summary s) {
    err.println("verified " + s.lines() + " proofs: " + s.valid() + " valid, " + s.invalid()
        + " invalid");
    for (Map.Entry<ErrorCode, Long> e : s.reasons().entrySet()) {
      err.println("  " + e.getKey().wireName() + ": " + e.getValue());
    }
    for (Map.Entry<NodeId, BulkVerifier.NodeTally> e : s.nodes().entrySet()) {
      BulkVerifier.NodeTally t = e.getValue();
      err.println("  node " + e.getKey().value() + ": " + t.validProofs() + " valid, "
          + t.invalidProofs() + " invalid, work_units " + t.workUnits());
    }
    err.flush();
  }
}
