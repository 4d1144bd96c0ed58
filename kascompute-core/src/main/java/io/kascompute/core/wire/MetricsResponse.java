package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer to {@code GET /v1/metrics}: V1's {@code {window_sec, timestamp, active_nodes_90s,
 * active_miners_90s, jobs_completed_window, jobs_per_min, avg_job_ms, proofs_window}} first, then
 * the SDK's figures. Definitions are in the coordinator chapter of the spec; decimals are written
 * rounded to three places, always with a fraction digit.
 *
 * @param avgJobMs the integer mean of (completed - assigned) in milliseconds over the window's
 *     completed jobs, 0 if none (V1's definition: measured by the coordinator, not reported by the
 *     node)
 * @param proofsWindow accepted job proofs in the window (V1 counts job proofs only)
 * @param rejectionsWindow refused requests in the window per error code (this coordinator only)
 */
public record MetricsResponse(
    long timestamp,
    long windowSec,
    long activeNodes90s,
    long activeMiners90s,
    long jobsCompletedWindow,
    double jobsPerMin,
    long avgJobMs,
    long proofsWindow,
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

  /** Copies the rejections into code order. */
  public MetricsResponse {
    rejectionsWindow = Map.copyOf(new TreeMap<>(rejectionsWindow));
  }

  /** The rejections in the window, summed over all codes. */
  public long rejectionsTotalWindow() {
    return rejectionsWindow.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Reads the {@code data} of an ok envelope. */
  public static MetricsResponse fromJson(JsonObject o) {
    Map<String, Long> rejections = new TreeMap<>();
    Fields.get(o, "rejections_window").ifPresent(v -> {
      for (Map.Entry<String, JsonValue> e : Fields.object(v, "field rejections_window")
          .members().entrySet()) {
        rejections.put(e.getKey(), Fields.asU64("rejections_window." + e.getKey(), e.getValue()));
      }
    });
    return new MetricsResponse(
        Fields.u64(o, "timestamp"), Fields.u64(o, "window_sec"),
        Fields.u64(o, "active_nodes_90s"), Fields.u64(o, "active_miners_90s"),
        Fields.u64(o, "jobs_completed_window"), Fields.number(o, "jobs_per_min"),
        Fields.u64(o, "avg_job_ms"), Fields.u64(o, "proofs_window"),
        Fields.optionalU64(o, "activity_seconds").orElse(0),
        Fields.optionalU64(o, "nodes_online").orElse(0),
        Fields.optionalU64(o, "tasks_completed_window").orElse(0),
        Fields.optionalU64(o, "work_units_window").orElse(0),
        Fields.optionalDouble(o, "work_units_per_sec").orElse(0),
        Fields.optionalU64(o, "elapsed_ms_p50").orElse(0),
        Fields.optionalU64(o, "elapsed_ms_p95").orElse(0),
        Fields.optionalU64(o, "elapsed_ms_p99").orElse(0),
        rejections);
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(640);
    w.raw('{').key("window_sec").unsigned(windowSec);
    w.raw(',').key("timestamp").unsigned(timestamp);
    w.raw(',').key("active_nodes_90s").unsigned(activeNodes90s);
    w.raw(',').key("active_miners_90s").unsigned(activeMiners90s);
    w.raw(',').key("jobs_completed_window").unsigned(jobsCompletedWindow);
    w.raw(',').key("jobs_per_min").raw(decimal(jobsPerMin));
    w.raw(',').key("avg_job_ms").unsigned(avgJobMs);
    w.raw(',').key("proofs_window").unsigned(proofsWindow);
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
    return w.raw("}}").toByteArray();
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
