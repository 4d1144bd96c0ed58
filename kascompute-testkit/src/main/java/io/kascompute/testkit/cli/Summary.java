package io.kascompute.testkit.cli;

import io.kascompute.testkit.fleet.FleetReport;
import java.io.PrintStream;
import java.util.Locale;

/** Human-readable summaries of fleet reports. */
final class Summary {
  private Summary() {}

  static void fleet(FleetReport r, PrintStream out) {
    double seconds = Math.max(1e-3, r.elapsed().toNanos() / 1e9);
    out.printf(Locale.ROOT, "tasks completed   %d (%.1f tasks/s over %.1f s)%n",
        r.tasksCompleted(), r.tasksCompleted() / seconds, seconds);
    out.printf(Locale.ROOT, "job proofs        %d accepted%n", r.jobsAccepted());
    out.printf(Locale.ROOT, "faults injected   %s%n", r.faultsInjected());
    out.printf(Locale.ROOT, "faults refused    %d as expected, %d unexpectedly%n",
        r.faultsExpected(), r.faultsUnexpected());
    out.printf(Locale.ROOT, "refusals by code  %s%n", r.refusalsByCode());
    out.printf(Locale.ROOT, "lease losses      %d (honest work whose lease moved on)%n", r.leaseLosses());
    if (r.duplicateCompletions() > 0) {
      out.printf(Locale.ROOT, "DUPLICATES        %d tasks accepted as new twice%n", r.duplicateCompletions());
    }
    for (String u : r.unexpected()) {
      out.println("unexpected        " + u);
    }
  }
}
