package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.ledger.AuditReport;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.LedgerAuditor;
import io.kascompute.crypto.ledger.NoteVerifierKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kascompute audit --checkpoint CP --vkey VKEY LEDGER.jsonl}: audits a ledger export. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audits a coordinator's ledger export offline against a signed checkpoint: checks the"
          + " checkpoint's signature with VKEY, recomputes the root of the entries it covers,"
          + " re-verifies every entry's proof in its scheme against its public_key_hex, checks"
          + " that the key pinned per node never changes without a key rotation entry (and that"
          + " node-signed rotations verify), finds repeated signatures, and reports per-node"
          + " proofs and work units and the checkpoint's anchor commitment. Lines beyond the"
          + " checkpoint's size are counted, not audited.",
      "The entries' roots alone cannot say which entry is wrong when only the root differs;"
          + " with --url, consistency proofs from the coordinator (checked against the signed"
          + " checkpoint) locate the first entry where the export departs from the log.",
      "Memory is bounded by --max-nodes and --max-signatures; beyond them the audit stops"
          + " with exit 2.",
      "Exit codes: 0 all good, 1 an entry, the root or the signature fails (the first bad"
          + " entry is named), 2 unreadable input, usage error or a limit reached, 3 internal"
          + " failure."
    })
final class AuditCommand implements Callable<Integer> {
  /** The failing entries printed or listed in full; the rest are counted. */
  static final int LISTED_FAILURES = 100;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "CP",
      description = "The signed checkpoint (a C2SP signed note).")
  private String checkpoint;

  @Option(names = "--vkey", required = true, paramLabel = "VKEY",
      description = "The coordinator's verifier key <name>+<id>+<key>, or a file holding it.")
  private String vkey;

  @Option(names = "--json", description = "One JSON report on stdout.")
  private boolean json;

  @Option(names = "--threads", paramLabel = "N",
      description = "Verification threads (default: the number of processors).")
  private int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--url", paramLabel = "URL",
      description = "The coordinator, to locate the first differing entry when the root differs.")
  private Optional<String> url;

  @Option(names = "--max-nodes", paramLabel = "N",
      description = "The most distinct node ids tracked (default: ${DEFAULT-VALUE}).")
  private int maxNodes = LedgerAuditor.DEFAULT_MAX_NODES;

  @Option(names = "--max-signatures", paramLabel = "N",
      description = "The most entries checked for repeated signatures (default: ${DEFAULT-VALUE}).")
  private long maxSignatures = LedgerAuditor.DEFAULT_MAX_SIGNATURES;

  @Parameters(paramLabel = "LEDGER.jsonl", description = "The export: one leaf line per entry.")
  private Path ledger;

  @Override
  public Integer call() {
    return LedgerCli.run(spec, () -> {
      if (threads < 1 || maxNodes < 1 || maxSignatures < 1
          || maxSignatures > LedgerAuditor.MAX_SIGNATURES_LIMIT) {
        throw LedgerCli.usage(spec, "--threads and --max-nodes must be >= 1, --max-signatures in 1.."
            + LedgerAuditor.MAX_SIGNATURES_LIMIT);
      }
      NoteVerifierKey key = LedgerCli.verifierKey(vkey);
      Checkpoint cp = LedgerCli.openCheckpoint(checkpoint, key);
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "kascompute-audit");
        t.setDaemon(true);
        return t;
      });
      PrintWriter out = spec.commandLine().getOut();
      List<AuditReport.EntryFailure> listed = new ArrayList<>();
      AuditReport report;
      try (InputStream in = Files.newInputStream(ledger)) {
        report = LedgerAuditor.create(ProofVerifier.create(), pool, threads)
            .withLimits(maxNodes, maxSignatures)
            .audit(cp, in, f -> {
              if (listed.size() < LISTED_FAILURES) {
                listed.add(f);
                if (!json) {
                  out.println("entry " + f.index() + ": " + f.code().wireName() + ": "
                      + LedgerCli.oneLine(f.message()));
                }
              }
            });
      } catch (IOException e) {
        throw new IOException("cannot read " + ledger + ": " + e.getMessage(), e);
      } finally {
        pool.shutdownNow();
      }
      OptionalLong departure = OptionalLong.empty();
      String located = null;
      if (!report.rootMatches() && url.isPresent()) {
        try {
          departure = OptionalLong.of(LedgerBisect.firstDeparture(
              ledger, report.entries(), cp, new LedgerCli.Http(url.get())));
          located = "consistency proofs from " + url.get();
        } catch (IOException e) {
          located = "could not ask " + url.get() + ": " + LedgerCli.oneLine(e.getMessage());
        }
      }
      Verdict v = verdict(report, departure);
      if (json) {
        out.println(json(report, key, listed, v, located));
      } else {
        text(out, report, key, v, located);
      }
      out.flush();
      return report.passed() ? LedgerCli.OK : LedgerCli.FAILED;
    });
  }

  /** The audit's conclusion: the first bad entry, if one can be named, and why. */
  private record Verdict(OptionalLong firstBad, ErrorCode code, String message) {}

  private static Verdict verdict(AuditReport r, OptionalLong departure) {
    Optional<AuditReport.EntryFailure> f = r.firstFailure();
    String rootProblem = r.entries() < r.checkpoint().size()
        ? "the export has " + r.entries() + " entries; the checkpoint covers "
            + r.checkpoint().size()
        : "the entries' root " + r.root().hex() + " is not the checkpoint's "
            + r.checkpoint().root().hex();
    if (departure.isPresent() && (f.isEmpty() || departure.getAsLong() < f.get().index())) {
      long d = departure.getAsLong();
      return new Verdict(departure, ErrorCode.ROOT_MISMATCH, d == r.entries()
          ? rootProblem + "; the export lacks entry " + d + " onwards"
          : "entries 0.." + (d - 1) + " are the log's, entry " + d + " is not (" + rootProblem + ")");
    }
    if (f.isPresent()) {
      return new Verdict(OptionalLong.of(f.get().index()), f.get().code(), f.get().message());
    }
    if (!r.rootMatches()) {
      return new Verdict(OptionalLong.empty(), ErrorCode.ROOT_MISMATCH, rootProblem);
    }
    return new Verdict(OptionalLong.empty(), null, "");
  }

  private static void text(PrintWriter out, AuditReport r, NoteVerifierKey key, Verdict v,
      String located) {
    Checkpoint c = r.checkpoint();
    out.println("checkpoint  " + c.origin() + ", size " + c.size() + ", root " + c.root().hex()
        + " (signature ok: " + key.keyName() + "+" + key.keyIdHex() + ")");
    out.println("entries     " + r.entries() + " audited, " + r.entriesBeyond()
        + " beyond the checkpoint");
    out.println("root        " + (r.rootMatches() ? "ok" : "MISMATCH: recomputed " + r.root().hex()
        + (r.entries() < c.size() ? " from " + r.entries() + " of " + c.size() + " entries" : "")));
    out.println("proofs      " + r.jobProofs() + " job, " + r.taskProofs() + " task, "
        + r.rotations() + " key rotations verified; " + r.failures() + " entries failed, "
        + r.duplicates() + " repeated signatures");
    for (Map.Entry<ErrorCode, Long> e : r.failuresByCode().entrySet()) {
      out.println("  " + e.getKey().wireName() + ": " + e.getValue());
    }
    for (Map.Entry<String, AuditReport.NodeSummary> e : r.nodes().entrySet()) {
      AuditReport.NodeSummary s = e.getValue();
      out.println("node        " + LedgerCli.oneLine(e.getKey()) + ": " + s.proofs() + " proofs, "
          + s.workUnits() + " work units, " + s.rotations() + " rotations, key "
          + s.publicKeyHex().orElse("-"));
    }
    out.println("anchor      " + c.anchorCommitmentHex());
    if (located != null) {
      out.println("located by  " + located);
    }
    if (v.code() == null) {
      out.println("result      PASS");
    } else {
      out.println("result      FAIL: " + (v.firstBad().isPresent()
          ? "first bad entry " + v.firstBad().getAsLong() + ": " : "")
          + v.code().wireName() + ": " + LedgerCli.oneLine(v.message()));
    }
  }

  private static String json(AuditReport r, NoteVerifierKey key,
      List<AuditReport.EntryFailure> listed, Verdict v, String located) {
    Checkpoint c = r.checkpoint();
    JsonWriter w = new JsonWriter(1024 + 200 * r.nodes().size());
    w.raw('{').key("passed").raw(r.passed() ? "true" : "false");
    w.raw(',').key("checkpoint").raw('{').key("origin").string(c.origin())
        .raw(',').key("size").unsigned(c.size())
        .raw(',').key("root").string(c.root().hex()).raw('}');
    w.raw(',').key("signature").string("ok");
    w.raw(',').key("vkey").string(key.vkey());
    w.raw(',').key("entries").unsigned(r.entries());
    w.raw(',').key("entries_beyond").unsigned(r.entriesBeyond());
    w.raw(',').key("root").string(r.root().hex());
    w.raw(',').key("root_matches").raw(r.rootMatches() ? "true" : "false");
    w.raw(',').key("job_proofs").unsigned(r.jobProofs());
    w.raw(',').key("task_proofs").unsigned(r.taskProofs());
    w.raw(',').key("rotations").unsigned(r.rotations());
    w.raw(',').key("failures").unsigned(r.failures());
    w.raw(',').key("failures_by_code").raw('{');
    boolean first = true;
    for (Map.Entry<ErrorCode, Long> e : r.failuresByCode().entrySet()) {
      w.raw(first ? "" : ",").key(e.getKey().wireName()).unsigned(e.getValue());
      first = false;
    }
    w.raw('}');
    w.raw(',').key("duplicates").unsigned(r.duplicates());
    w.raw(',').key("first_bad_entry");
    if (v.code() == null) {
      w.raw("null");
    } else {
      w.raw('{').key("index");
      if (v.firstBad().isPresent()) {
        w.unsigned(v.firstBad().getAsLong());
      } else {
        w.raw("null");
      }
      w.raw(',').key("code").string(v.code().wireName())
          .raw(',').key("message").string(v.message()).raw('}');
    }
    if (located != null) {
      w.raw(',').key("located_by").string(located);
    }
    w.raw(',').key("failed_entries").raw('[');
    for (int i = 0; i < listed.size(); i++) {
      AuditReport.EntryFailure f = listed.get(i);
      w.raw(i == 0 ? "{" : ",{").key("index").unsigned(f.index())
          .raw(',').key("code").string(f.code().wireName())
          .raw(',').key("message").string(f.message()).raw('}');
    }
    w.raw(']');
    w.raw(',').key("nodes").raw('[');
    first = true;
    for (Map.Entry<String, AuditReport.NodeSummary> e : r.nodes().entrySet()) {
      AuditReport.NodeSummary s = e.getValue();
      w.raw(first ? "{" : ",{").key("node_id").string(e.getKey())
          .raw(',').key("proofs").unsigned(s.proofs())
          .raw(',').key("work_units").string(s.workUnits().toString())
          .raw(',').key("rotations").unsigned(s.rotations())
          .raw(',').key("public_key_hex");
      if (s.publicKeyHex().isPresent()) {
        w.string(s.publicKeyHex().get());
      } else {
        w.raw("null");
      }
      w.raw('}');
      first = false;
    }
    w.raw(']');
    w.raw(',').key("anchor_hex").string(c.anchorCommitmentHex());
    return new String(w.raw('}').toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
