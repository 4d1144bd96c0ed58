package io.kascompute.testkit.cli;

import io.kascompute.testkit.fleet.FleetReport;
import java.io.PrintStream;
import java.util.Locale;
import java.util.TreeMap;

/** Human-readable summaries of fleet reports, for stderr. */
final class Summary {
  private Summary() {}

  /** What the fleet did and saw, without timings: one seed of a deterministic run prints it alike. */
  static void fleet(FleetReport r, PrintStream out) {
    out.printf(Locale.ROOT, "tasks completed   %d%n", r.tasksCompleted());
    out.printf(Locale.ROOT, "job proofs        %d accepted%n", r.jobsAccepted());
    out.printf(Locale.ROOT, "faults injected   %s%n", new TreeMap<>(r.faultsInjected()));
    out.printf(Locale.ROOT, "faults refused    %d as expected, %d unexpectedly%n",
        r.faultsExpected(), r.faultsUnexpected());
    out.printf(Locale.ROOT, "refusals by code  %s%n", new TreeMap<>(r.refusalsByCode()));
    out.printf(Locale.ROOT, "lease losses      %d (honest work whose lease moved on)%n", r.leaseLosses());
    if (r.duplicateCompletions() > 0) {
      out.printf(Locale.ROOT, "DUPLICATES        %d tasks accepted as new twice%n", r.duplicateCompletions());
    }
    for (String u : r.unexpected()) {
      out.println("unexpected        " + u);
    }
  }

  /** How long the fleet ran, and its rate. */
  static void timing(FleetReport r, PrintStream out) {
    double seconds = Math.max(1e-3, r.elapsed().toNanos() / 1e9);
    out.printf(Locale.ROOT, "elapsed           %.1f s (%.1f tasks/s)%n", seconds,
        r.tasksCompleted() / seconds);
  }
}
