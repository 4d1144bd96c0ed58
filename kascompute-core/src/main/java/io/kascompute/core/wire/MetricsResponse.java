package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer to {@code GET /v1/metrics}: V1's six figures {@code active_nodes_90s,
 * active_miners_90s, jobs_completed_window, jobs_per_min, avg_job_ms, proofs_window} followed by
 * the SDK extensions (window lengths, nodes online, task completions, elapsed-time percentiles,
 * work units per second, rejections by error code). Decimal figures are written rounded to three
 * decimals, always with a fraction ({@code 0.0}, {@code 12.5}).
 *
 * @param rejectionsWindow rejected requests in the window per error code wire name
 */
public record MetricsResponse(
    long activeNodes90s,
    long activeMiners90s,
    long jobsCompletedWindow,
    double jobsPerMin,
    double avgJobMs,
    long proofsWindow,
    long windowSeconds,
    long activitySeconds,
    long nodesOnline,
    long tasksCompletedWindow,
    long workUnitsWindow,
    double workUnitsPerSec,
    long elapsedMsP50,
    long elapsedMsP95,
    long elapsedMsP99,
    Map<String, Long> rejectionsWindow)
    implements WireResponse {

  /** Copies the rejections into code order and checks that they are not null. */
  public MetricsResponse {
    rejectionsWindow = Map.copyOf(new TreeMap<>(rejectionsWindow));
  }

  /** The rejections in the window, summed over all codes. */
  public long rejectionsTotalWindow() {
    return rejectionsWindow.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("active_nodes_90s").unsigned(activeNodes90s);
    w.raw(',').key("active_miners_90s").unsigned(activeMiners90s);
    w.raw(',').key("jobs_completed_window").unsigned(jobsCompletedWindow);
    w.raw(',').key("jobs_per_min").raw(decimal(jobsPerMin));
    w.raw(',').key("avg_job_ms").raw(decimal(avgJobMs));
    w.raw(',').key("proofs_window").unsigned(proofsWindow);
    w.raw(',').key("window_seconds").unsigned(windowSeconds);
    w.raw(',').key("activity_seconds").unsigned(activitySeconds);
    w.raw(',').key("nodes_online").unsigned(nodesOnline);
    w.raw(',').key("tasks_completed_window").unsigned(tasksCompletedWindow);
    w.raw(',').key("work_units_window").unsigned(workUnitsWindow);
    w.raw(',').key("work_units_per_sec").raw(decimal(workUnitsPerSec));
    w.raw(',').key("elapsed_ms_p50").unsigned(elapsedMsP50);
    w.raw(',').key("elapsed_ms_p95").unsigned(elapsedMsP95);
    w.raw(',').key("elapsed_ms_p99").unsigned(elapsedMsP99);
    w.raw(',').key("rejections_window").raw('{');
    boolean first = true;
    for (Map.Entry<String, Long> e : new TreeMap<>(rejectionsWindow).entrySet()) {
      if (!first) {
        w.raw(',');
      }
      first = false;
      w.key(e.getKey()).unsigned(e.getValue());
    }
    w.raw("}}");
  }

  /** A finite, non-negative decimal rounded to three places, always with a fraction digit. */
  static String decimal(double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException("metric must be finite and non-negative: " + value);
    }
    String s = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
    return s.indexOf('.') < 0 ? s + ".0" : s;
  }
}
