package io.kascompute.testkit.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Keeps {@code /v1/jobs/next} supplied like the deployed coordinator does: every interval (by the
 * injected clock) it adds one job with random work units, as long as fewer jobs are waiting than
 * miners are online (at least one). The server's scheduler calls {@link #tick()}; nothing here
 * sleeps or reads the wall clock.
 */
final class JobGenerator {
  /** After a clock jump, at most this many missed intervals are caught up at once. */
  private static final int MAX_CATCH_UP = 64;

  private final Clock clock;
  private final Duration interval;
  private final long minWorkUnits;
  private final long maxWorkUnits;
  private final SplittableRandom random;
  private final IntSupplier onlineMiners;
  private final IntSupplier waitingJobs;
  private final LongConsumer offer;
  private Instant nextDue;

  JobGenerator(Clock clock, Duration interval, long minWorkUnits, long maxWorkUnits, long seed,
      IntSupplier onlineMiners, IntSupplier waitingJobs, LongConsumer offer) {
    this.clock = clock;
    this.interval = interval;
    this.minWorkUnits = minWorkUnits;
    this.maxWorkUnits = maxWorkUnits;
    this.random = new SplittableRandom(seed);
    this.onlineMiners = onlineMiners;
    this.waitingJobs = waitingJobs;
    this.offer = offer;
    this.nextDue = clock.instant();
  }

  /** Adds the jobs that fell due since the last tick; returns how many were added. */
  synchronized int tick() {
    Instant now = clock.instant();
    int added = 0;
    int steps = 0;
    while (!now.isBefore(nextDue)) {
      if (waitingJobs.getAsInt() < Math.max(1, onlineMiners.getAsInt())) {
        offer.accept(minWorkUnits + random.nextLong(maxWorkUnits - minWorkUnits + 1));
        added++;
      }
      nextDue = nextDue.plus(interval);
      if (++steps >= MAX_CATCH_UP && !now.isBefore(nextDue)) {
        nextDue = now.plus(interval);
      }
    }
    return added;
  }
}
