package io.kascompute.core.metrics;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.presence.NodeRegistry;
import io.kascompute.core.wire.MetricsResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * Sliding-window aggregation of accepted proofs and rejections, with memory bounded whatever the
 * traffic.
 *
 * <p>The window (default 300 s) is cut into {@value #BUCKETS} buckets of equal length; each bucket
 * keeps counters and an HdrHistogram of {@code elapsed_ms}, and a bucket is cleared when time moves
 * past it. An event therefore counts from the moment it is recorded until its bucket leaves the
 * window, which happens between {@code window - window/30} and {@code window} after it. Figures
 * (see {@link MetricsResponse}): {@code jobs_completed_window} counts accepted job proofs in the
 * window, {@code proofs_window} accepted job and task proofs, {@code jobs_per_min} is {@code
 * jobs_completed_window} divided by the window in minutes, {@code avg_job_ms} the mean {@code
 * elapsed_ms} of the window's job proofs, {@code work_units_per_sec} the window's work units (jobs
 * and tasks) divided by the window in seconds, and the percentiles are over the {@code
 * elapsed_ms} of all the window's proofs. {@code active_nodes_90s} and {@code active_miners_90s}
 * count the registry's nodes (resp. miners) whose last heartbeat lies within the activity period
 * (default 90 s). Totals per run and per node are kept for the most recently active {@code
 * maxTracked} runs and nodes. Thread-safe.
 */
public final class MetricsAggregator {
  /** The number of buckets a window is cut into. */
  public static final int BUCKETS = 30;

  /** Elapsed times above this many milliseconds (one week) are recorded as this value. */
  public static final long MAX_TRACKED_ELAPSED_MS = Duration.ofDays(7).toMillis();

  private static final ErrorCode[] CODES = ErrorCode.values();

  private final Duration window;
  private final Duration activity;
  private final long bucketMillis;
  private final Bucket[] buckets = new Bucket[BUCKETS];
  private final Map<ErrorCode, Long> rejectionsTotal = new EnumMap<>(ErrorCode.class);
  private final LinkedHashMap<RunId, Long> tasksPerRun;
  private final LinkedHashMap<NodeId, NodeTotals> perNode;

  private MetricsAggregator(Duration window, Duration activity, int maxTracked) {
    this.window = window;
    this.activity = activity;
    this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = new Bucket();
    }
    this.tasksPerRun = lru(maxTracked);
    this.perNode = lru(maxTracked);
  }

  /** An aggregator with the defaults: 300 s window, 90 s activity, 10,000 tracked runs and nodes. */
  public static MetricsAggregator create() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The window over which figures are aggregated. */
  public Duration window() {
    return window;
  }

  /** The period within which a node counts as active. */
  public Duration activity() {
    return activity;
  }

  /** Records an accepted job proof. */
  public synchronized void recordJobProof(NodeId node, long workUnits, long elapsedMs, Instant now) {
    Bucket b = bucket(now);
    b.jobs++;
    b.jobElapsedSum += clamp(elapsedMs);
    recordProof(b, node, workUnits, elapsedMs);
  }

  /** Records an accepted task proof of a run. */
  public synchronized void recordTaskProof(
      NodeId node, RunId run, long workUnits, long elapsedMs, Instant now) {
    Objects.requireNonNull(run, "run");
    Bucket b = bucket(now);
    b.tasks++;
    recordProof(b, node, workUnits, elapsedMs);
    tasksPerRun.merge(run, 1L, Long::sum);
  }

  /** Records a refused request, attributed to a node when the request named one. */
  public synchronized void recordRejection(ErrorCode code, Optional<NodeId> node, Instant now) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(node, "node");
    bucket(now).rejections[code.ordinal()]++;
    rejectionsTotal.merge(code, 1L, Long::sum);
    node.ifPresent(n -> {
      NodeTotals t = perNode.getOrDefault(n, new NodeTotals(0, 0, 0));
      perNode.put(n, new NodeTotals(t.proofs(), t.workUnits(), t.rejections() + 1));
    });
  }

  /** The figures of the window ending at {@code now}, with activity taken from {@code registry}. */
  public synchronized MetricsResponse snapshot(Instant now, NodeRegistry registry) {
    long current = Math.floorDiv(now.toEpochMilli(), bucketMillis);
    long jobs = 0;
    long jobElapsed = 0;
    long tasks = 0;
    long workUnits = 0;
    long[] rejections = new long[CODES.length];
    Histogram merged = newHistogram();
    for (Bucket b : buckets) {
      if (b.index > current - BUCKETS && b.index <= current) {
        jobs += b.jobs;
        jobElapsed += b.jobElapsedSum;
        tasks += b.tasks;
        workUnits = saturatingAdd(workUnits, b.workUnits);
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
    double windowSeconds = window.toMillis() / 1000.0;
    long count = merged.getTotalCount();
    return new MetricsResponse(
        registry.activeCount(now, activity, false),
        registry.activeCount(now, activity, true),
        jobs,
        jobs / (windowSeconds / 60.0),
        jobs == 0 ? 0.0 : (double) jobElapsed / jobs,
        jobs + tasks,
        window.toSeconds(),
        activity.toSeconds(),
        registry.online(now).size(),
        tasks,
        workUnits,
        unsignedToDouble(workUnits) / windowSeconds,
        count == 0 ? 0 : merged.getValueAtPercentile(50.0),
        count == 0 ? 0 : merged.getValueAtPercentile(95.0),
        count == 0 ? 0 : merged.getValueAtPercentile(99.0),
        rejected);
  }

  /** Tasks completed in a run since the aggregator started, if the run is still tracked. */
  public synchronized OptionalLong tasksCompleted(RunId run) {
    Long n = tasksPerRun.get(run);
    return n == null ? OptionalLong.empty() : OptionalLong.of(n);
  }

  /** A node's totals since the aggregator started, if the node is still tracked. */
  public synchronized Optional<NodeTotals> nodeTotals(NodeId node) {
    return Optional.ofNullable(perNode.get(node));
  }

  /** Rejections since the aggregator started, per error code. */
  public synchronized Map<ErrorCode, Long> rejectionsTotal() {
    return Map.copyOf(rejectionsTotal);
  }

  private void recordProof(Bucket b, NodeId node, long workUnits, long elapsedMs) {
    Objects.requireNonNull(node, "node");
    b.workUnits = saturatingAdd(b.workUnits, workUnits);
    b.elapsed.recordValue(clamp(elapsedMs));
    NodeTotals t = perNode.getOrDefault(node, new NodeTotals(0, 0, 0));
    perNode.put(node, new NodeTotals(t.proofs() + 1, saturatingAdd(t.workUnits(), workUnits), t.rejections()));
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

  private static long saturatingAdd(long unsignedA, long unsignedB) {
    long sum = unsignedA + unsignedB;
    return Long.compareUnsigned(sum, unsignedA) < 0 ? -1L : sum;
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }

  private static <K, V> LinkedHashMap<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  private static final class Bucket {
    long index = Long.MIN_VALUE;
    long jobs;
    long jobElapsedSum;
    long tasks;
    long workUnits;
    final long[] rejections = new long[CODES.length];
    final Histogram elapsed = newHistogram();

    void reset(long newIndex) {
      index = newIndex;
      jobs = 0;
      jobElapsedSum = 0;
      tasks = 0;
      workUnits = 0;
      Arrays.fill(rejections, 0);
      elapsed.reset();
    }
  }

  /** Configures a {@link MetricsAggregator}. */
  public static final class Builder {
    private Duration window = Duration.ofSeconds(300);
    private Duration activity = Duration.ofSeconds(90);
    private int maxTracked = 10_000;

    private Builder() {}

    /** The aggregation window (default 300 s; at least 30 ms). */
    public Builder window(Duration w) {
      Objects.requireNonNull(w, "window");
      if (w.toMillis() < BUCKETS) {
        throw new IllegalArgumentException("window must be at least " + BUCKETS + " ms: " + w);
      }
      this.window = w;
      return this;
    }

    /** The period within which a node counts as active (default 90 s). */
    public Builder activity(Duration a) {
      Objects.requireNonNull(a, "activity");
      if (a.isNegative() || a.isZero()) {
        throw new IllegalArgumentException("activity must be positive: " + a);
      }
      this.activity = a;
      return this;
    }

    /** How many runs and nodes keep totals (default 10,000 each; least recently active dropped). */
    public Builder maxTracked(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTracked must be at least 1: " + max);
      }
      this.maxTracked = max;
      return this;
    }

    /** The aggregator. */
    public MetricsAggregator build() {
      return new MetricsAggregator(window, activity, maxTracked);
    }
  }
}
