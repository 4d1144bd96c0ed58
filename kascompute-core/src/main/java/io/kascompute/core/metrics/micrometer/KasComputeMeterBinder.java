package io.kascompute.core.metrics.micrometer;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.wire.MetricsResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the coordinator's metrics as Micrometer gauges, so that a host gets Prometheus or any
 * other Micrometer backend: bind it with {@code new KasComputeMeterBinder(coordinator::metrics)
 * .bindTo(registry)}.
 *
 * <p>Gauges (each reads the latest snapshot): {@code kascompute.nodes.active} and {@code
 * kascompute.miners.active} (activity period), {@code kascompute.nodes.online}, {@code
 * kascompute.jobs.completed.window}, {@code kascompute.jobs.per.min}, {@code
 * kascompute.jobs.avg.ms}, {@code kascompute.proofs.window}, {@code
 * kascompute.tasks.completed.window}, {@code kascompute.work.units.window}, {@code
 * kascompute.work.units.per.sec}, {@code kascompute.elapsed.ms} with tag {@code quantile} = {@code
 * 0.5}, {@code 0.95}, {@code 0.99}, and {@code kascompute.rejections.window} with tag {@code code}
 * for every error code. Micrometer is an optional dependency: only hosts that use this class need
 * it on their class path.
 */
@SuppressWarnings("exports") // binding Micrometer types is the point of this optional integration
public final class KasComputeMeterBinder implements MeterBinder {
  private final Supplier<MetricsResponse> snapshots;

  /** A binder reading figures from {@code snapshots} (for example {@code coordinator::metrics}). */
  public KasComputeMeterBinder(Supplier<MetricsResponse> snapshots) {
    this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "kascompute.nodes.active", "Nodes with a heartbeat in the activity period",
        MetricsResponse::activeNodes90s);
    gauge(registry, "kascompute.miners.active", "Miners with a heartbeat in the activity period",
        MetricsResponse::activeMiners90s);
    gauge(registry, "kascompute.nodes.online", "Nodes online (heartbeat within the TTL)",
        MetricsResponse::nodesOnline);
    gauge(registry, "kascompute.jobs.completed.window", "Accepted job proofs in the window",
        MetricsResponse::jobsCompletedWindow);
    gauge(registry, "kascompute.jobs.per.min", "Accepted job proofs per minute over the window",
        MetricsResponse::jobsPerMin);
    gauge(registry, "kascompute.jobs.avg.ms", "Mean time from assignment to completion of the window's jobs, ms",
        MetricsResponse::avgJobMs);
    gauge(registry, "kascompute.proofs.window", "Accepted job proofs in the window",
        MetricsResponse::proofsWindow);
    gauge(registry, "kascompute.tasks.completed.window", "Accepted task proofs in the window",
        MetricsResponse::tasksCompletedWindow);
    gauge(registry, "kascompute.work.units.window", "Work units of the window's proofs",
        m -> m.workUnitsWindow() >= 0 ? m.workUnitsWindow() : Math.pow(2, 64) - 1);
    gauge(registry, "kascompute.work.units.per.sec", "Work units per second over the window",
        MetricsResponse::workUnitsPerSec);
    Gauge.builder("kascompute.elapsed.ms", snapshots, s -> s.get().elapsedMsP50())
        .description("elapsed_ms percentile of the window's proofs").tag("quantile", "0.5")
        .baseUnit("milliseconds").register(registry);
    Gauge.builder("kascompute.elapsed.ms", snapshots, s -> s.get().elapsedMsP95())
        .description("elapsed_ms percentile of the window's proofs").tag("quantile", "0.95")
        .baseUnit("milliseconds").register(registry);
    Gauge.builder("kascompute.elapsed.ms", snapshots, s -> s.get().elapsedMsP99())
        .description("elapsed_ms percentile of the window's proofs").tag("quantile", "0.99")
        .baseUnit("milliseconds").register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      String name = code.wireName();
      Gauge.builder("kascompute.rejections.window", snapshots,
              s -> s.get().rejectionsWindow().getOrDefault(name, 0L))
          .description("Refused requests in the window by error code").tag("code", name)
          .register(registry);
    }
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<MetricsResponse> f) {
    Gauge.builder(name, snapshots, s -> f.applyAsDouble(s.get()))
        .description(description).register(registry);
  }
}
