package io.kascompute.testkit.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * How fleet nodes experience time: the clock they timestamp proofs with, how they wait past a
 * lease, and what they do while no work is ready.
 */
public interface LeaseTime {
  /** The current instant, used for proof and heartbeat timestamps. */
  Instant now();

  /** Returns once {@code deadline} lies strictly in the past. */
  void waitUntilPast(Instant deadline) throws InterruptedException;

  /** Lets time pass while a node has nothing to do. */
  void idle() throws InterruptedException;

  /** Real time: waits by sleeping and polls every {@code poll} while idle. */
  static LeaseTime system(Duration poll) {
    Clock clock = Clock.systemUTC();
    return new LeaseTime() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public void waitUntilPast(Instant deadline) throws InterruptedException {
        long millis = Duration.between(clock.instant(), deadline).toMillis() + 1;
        if (millis > 0) {
          Thread.sleep(millis);
        }
        while (!clock.instant().isAfter(deadline)) {
          Thread.sleep(1);
        }
      }

      @Override
      public void idle() throws InterruptedException {
        Thread.sleep(poll.toMillis());
      }
    };
  }

  /**
   * Controlled time, shared with an in-process server: waiting advances {@code clock} through
   * {@code advance}, and every idle poll advances it by {@code idleStep} (after a short real pause
   * so other nodes get to run).
   */
  static LeaseTime controlled(Clock clock, Consumer<Duration> advance, Duration idleStep) {
    return new LeaseTime() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public synchronized void waitUntilPast(Instant deadline) {
        Instant now = clock.instant();
        if (!now.isAfter(deadline)) {
          advance.accept(Duration.between(now, deadline).plusSeconds(1));
        }
      }

      @Override
      public void idle() throws InterruptedException {
        Thread.sleep(2);
        advance.accept(idleStep);
      }
    };
  }
}
