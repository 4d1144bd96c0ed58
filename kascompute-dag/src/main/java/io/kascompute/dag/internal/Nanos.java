package io.kascompute.dag.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Instants as nanoseconds since the epoch, saturating outside the years 1677..2262 so that lease
 * arithmetic never overflows.
 */
public final class Nanos {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Nanos() {}

  /** The instant in nanoseconds since the epoch, saturated to the {@code long} range. */
  public static long of(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND) {
      return Long.MIN_VALUE;
    }
    return seconds * NANOS_PER_SECOND + instant.getNano();
  }

  /** The duration in nanoseconds, saturated to {@link Long#MAX_VALUE}. */
  public static long of(Duration duration) {
    if (duration.getSeconds() >= Long.MAX_VALUE / NANOS_PER_SECOND) {
      return Long.MAX_VALUE;
    }
    return duration.toNanos();
  }

  /** {@code start + length} saturated to {@link Long#MAX_VALUE}. */
  public static long plus(long start, long length) {
    long sum = start + length;
    return ((start ^ sum) & (length ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** The instant for nanoseconds since the epoch. */
  public static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }
}
