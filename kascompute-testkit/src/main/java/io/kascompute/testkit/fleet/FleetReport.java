package io.kascompute.testkit.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a fleet run did and saw.
 *
 * @param tasksCompleted task proofs accepted for the first time (repeats not counted)
 * @param duplicateCompletions tasks the server accepted as new completions more than once
 * @param jobsAccepted job proofs accepted (each one also written to the proof log, if any)
 * @param refusalsByCode every refusal the fleet received, by error code
 * @param faultsInjected the faults injected, by kind
 * @param faultsExpected faults answered with their expected refusal (or, for abandons, none)
 * @param faultsUnexpected faults answered with anything else
 * @param leaseLosses honest requests refused because the lease moved on (expiry, re-grant)
 * @param unexpected descriptions of the first unexpected answers, honest or faulty
 * @param runsFinished true if every run the fleet was given finished
 * @param elapsed the wall-clock time the fleet ran
 */
public record FleetReport(
    long tasksCompleted,
    long duplicateCompletions,
    long jobsAccepted,
    Map<String, Long> refusalsByCode,
    Map<Fault, Long> faultsInjected,
    long faultsExpected,
    long faultsUnexpected,
    long leaseLosses,
    List<String> unexpected,
    boolean runsFinished,
    Duration elapsed) {

  /** Copies the maps and list and checks that nothing is null. */
  public FleetReport {
    refusalsByCode = Map.copyOf(new TreeMap<>(refusalsByCode));
    faultsInjected = Map.copyOf(faultsInjected);
    unexpected = List.copyOf(unexpected);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** True if nothing unexpected happened: every fault was refused as expected, no honest request failed oddly, no task completed twice. */
  public boolean clean() {
    return faultsUnexpected == 0 && unexpected.isEmpty() && duplicateCompletions == 0;
  }
}
