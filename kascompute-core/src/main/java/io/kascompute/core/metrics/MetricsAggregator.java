package io.kascompute.core.metrics;

import io.kascompute.core.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The figures one coordinator process keeps for itself over a sliding window, with memory bounded
 * whatever the traffic: percentiles of the {@code elapsed_ms} its accepted proofs report, and the
 * requests it refused per error code. (Figures that must agree across coordinators — counts,
 * work units, job times — come from the shared proof record instead.)
 *
 * <p>The window (default 300 s) is cut into {@value #BUCKETS} buckets of equal length; each bucket
 * keeps an HdrHistogram of {@code elapsed_ms} (2 significant digits, values above one week
 * clamped) and a counter per error code, and a bucket is cleared when time moves past it. An event
 * therefore counts from the moment it is recorded until its bucket leaves the window, which happens
 * between {@code window - window/30} and {@code window} after it. Thread-safe.
 */
public final class MetricsAggregator {
  /** The number of buckets a window is cut into. */
  public static final int BUCKETS = 30;

  /** Elapsed times above this many milliseconds (one week) are recorded as this value. */
  public static final long MAX_TRACKED_ELAPSED_MS = Duration.ofDays(7).toMillis();

  private static final ErrorCode[] CODES = ErrorCode.values();

  private final Duration window;
  private final long bucketMillis;
  private final Bucket[] buckets = new Bucket[BUCKETS];

  private MetricsAggregator(Duration window) {
    this.window = window;
    this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = new Bucket();
    }
  }

  /** An aggregator over the default 300 s window. */
  public static MetricsAggregator create() {
    return create(Duration.ofSeconds(300));
  }

  /**
   * An aggregator over the given window.
   *
   * @throws IllegalArgumentException if the window is shorter than {@value #BUCKETS} ms
   */
  public static MetricsAggregator create(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.toMillis() < BUCKETS) {
      throw new IllegalArgumentException("window must be at least " + BUCKETS + " ms: " + window);
    }
    return new MetricsAggregator(window);
  }

  /** The window over which figures are aggregated. */
  public Duration window() {
    return window;
  }

  /** Records the {@code elapsed_ms} (unsigned) an accepted proof reported. */
  public synchronized void recordProof(long elapsedMs, Instant now) {
    bucket(now).elapsed.recordValue(clamp(elapsedMs));
  }

  /** Records a refused request. */
  public synchronized void recordRejection(ErrorCode code, Instant now) {
    Objects.requireNonNull(code, "code");
    bucket(now).rejections[code.ordinal()]++;
  }

  /** The figures of the window ending at {@code now}. */
  public synchronized Snapshot snapshot(Instant now) {
    long current = Math.floorDiv(now.toEpochMilli(), bucketMillis);
    long[] rejections = new long[CODES.length];
    Histogram merged = newHistogram();
    for (Bucket b : buckets) {
      if (b.index > current - BUCKETS && b.index <= current) {
        for (int i = 0; i < rejections.length; i++) {
          rejections[i] += b.rejections[i];
        }
        merged.add(b.elapsed);
      }
    }
    Map<String, Long> rejected = new LinkedHashMap<>();
    for (int i = 0; i < rejections.length; i++) {
      if (rejections[i] > 0) {
        rejected.put(CODES[i].wireName(), rejections[i]);
      }
    }
    long count = merged.getTotalCount();
    return new Snapshot(
        count == 0 ? 0 : merged.getValueAtPercentile(50.0),
        count == 0 ? 0 : merged.getValueAtPercentile(95.0),
        count == 0 ? 0 : merged.getValueAtPercentile(99.0),
        rejected);
  }

  /**
   * One process's window figures.
   *
   * @param rejections refused requests per error code wire name (codes with none are left out)
   */
  public record Snapshot(
      long elapsedMsP50, long elapsedMsP95, long elapsedMsP99, Map<String, Long> rejections) {
    /** Copies the map. */
    public Snapshot {
      rejections = Map.copyOf(rejections);
    }
  }

  private Bucket bucket(Instant now) {
    long index = Math.floorDiv(now.toEpochMilli(), bucketMillis);
    Bucket b = buckets[(int) Math.floorMod(index, (long) BUCKETS)];
    if (b.index != index) {
      if (index < b.index) {
        // an event older than the slot's current content: it already left the window
        return new Bucket();
      }
      b.reset(index);
    }
    return b;
  }

  private static long clamp(long unsignedElapsedMs) {
    return unsignedElapsedMs < 0 || unsignedElapsedMs > MAX_TRACKED_ELAPSED_MS
        ? MAX_TRACKED_ELAPSED_MS
        : unsignedElapsedMs;
  }

  private static Histogram newHistogram() {
    return new Histogram(1, MAX_TRACKED_ELAPSED_MS, 2);
  }

  private static final class Bucket {
    long index = Long.MIN_VALUE;
    final long[] rejections = new long[CODES.length];
    final Histogram elapsed = newHistogram();

    void reset(long newIndex) {
      index = newIndex;
      Arrays.fill(rejections, 0);
      elapsed.reset();
    }
  }
}
