package io.kascompute.testkit.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters every node of a fleet writes into while it runs. */
final class FleetStats {
  private static final int MAX_UNEXPECTED = 50;

  final LongAdder tasksCompleted = new LongAdder();
  final LongAdder duplicateCompletions = new LongAdder();
  final LongAdder jobsAccepted = new LongAdder();
  final LongAdder faultsExpected = new LongAdder();
  final LongAdder faultsUnexpected = new LongAdder();
  final LongAdder leaseLosses = new LongAdder();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final Map<Fault, LongAdder> injected = new ConcurrentHashMap<>();
  private final Set<String> completed = ConcurrentHashMap.newKeySet();
  private final List<String> unexpected = new ArrayList<>();
  private final AtomicLong unexpectedCount = new AtomicLong();

  void refusal(String code) {
    refusals.computeIfAbsent(code, k -> new LongAdder()).increment();
  }

  void injected(Fault fault) {
    injected.computeIfAbsent(fault, k -> new LongAdder()).increment();
  }

  /** Records a first-time completion; a task accepted as new twice is a duplicate. */
  void completed(String runId, String taskId) {
    if (completed.add(runId + "\u0000" + taskId)) {
      tasksCompleted.increment();
    } else {
      duplicateCompletions.increment();
    }
  }

  void unexpected(String description) {
    unexpectedCount.incrementAndGet();
    synchronized (unexpected) {
      if (unexpected.size() < MAX_UNEXPECTED) {
        unexpected.add(description);
      }
    }
  }

  long unexpectedCount() {
    return unexpectedCount.get();
  }

  FleetReport report(boolean runsFinished, Duration elapsed) {
    Map<String, Long> byCode = new java.util.TreeMap<>();
    refusals.forEach((k, v) -> byCode.put(k, v.sum()));
    Map<Fault, Long> faults = new EnumMap<>(Fault.class);
    injected.forEach((k, v) -> faults.put(k, v.sum()));
    List<String> odd;
    synchronized (unexpected) {
      odd = List.copyOf(unexpected);
    }
    return new FleetReport(
        tasksCompleted.sum(),
        duplicateCompletions.sum(),
        jobsAccepted.sum(),
        byCode,
        faults,
        faultsExpected.sum(),
        faultsUnexpected.sum(),
        leaseLosses.sum(),
        odd,
        runsFinished,
        elapsed);
  }
}
