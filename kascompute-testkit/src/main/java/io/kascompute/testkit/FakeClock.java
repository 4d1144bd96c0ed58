package io.kascompute.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it; thread-safe, so simulated nodes on
 * several threads can share and advance one clock.
 */
public final class FakeClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock in UTC standing at {@code start}. */
  public static FakeClock at(Instant start) {
    return new FakeClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** Moves the clock forward (or, with a negative step, back) and returns the new instant. */
  public Instant advance(Duration step) {
    Objects.requireNonNull(step, "step");
    return now.updateAndGet(t -> t.plus(step));
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's instant. */
  @Override
  public Clock withZone(ZoneId newZone) {
    return new FakeClock(now, Objects.requireNonNull(newZone, "zone"));
  }
}
