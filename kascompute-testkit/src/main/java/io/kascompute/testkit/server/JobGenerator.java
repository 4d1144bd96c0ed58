package io.kascompute.testkit.server;

import io.kascompute.dag.jobs.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Keeps the shared job pool supplied like the deployed coordinator does: once per interval (by
 * the injected clock) it tops the store up to at least {@code minPending} pending jobs, each with
 * work units drawn uniformly from {@code [minWorkUnits, maxWorkUnits]}. The top-up is atomic in
 * the store, so coordinators sharing one never overfill the pool. The server's scheduler calls
 * {@link #tick()}; nothing here sleeps or reads the wall clock.
 */
final class JobGenerator {
  private final Clock clock;
  private final Duration interval;
  private final int minPending;
  private final long minWorkUnits;
  private final long maxWorkUnits;
  private final SplittableRandom random;
  private final JobStore jobs;
  private Instant nextDue;

  JobGenerator(Clock clock, Duration interval, int minPending, long minWorkUnits,
      long maxWorkUnits, long seed, JobStore jobs) {
    this.clock = clock;
    this.interval = interval;
    this.minPending = minPending;
    this.minWorkUnits = minWorkUnits;
    this.maxWorkUnits = maxWorkUnits;
    this.random = new SplittableRandom(seed);
    this.jobs = jobs;
    this.nextDue = clock.instant();
  }

  /** Tops the pool up if an interval fell due since the last tick; returns how many jobs were added. */
  synchronized int tick() {
    Instant now = clock.instant();
    if (now.isBefore(nextDue)) {
      return 0;
    }
    nextDue = now.plus(interval);
    return jobs.topUp(minPending,
        () -> minWorkUnits + random.nextLong(maxWorkUnits - minWorkUnits + 1), now);
  }
}
