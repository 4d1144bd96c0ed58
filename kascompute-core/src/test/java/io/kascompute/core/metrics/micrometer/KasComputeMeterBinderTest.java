package io.kascompute.core.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.wire.MetricsResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KasComputeMeterBinderTest {

  private static MetricsResponse figures(long jobs) {
    return new MetricsResponse(1_710_000_002L, 300, 2, 1, jobs, jobs / 5.0, 200, jobs, 90, 3, 4,
        60, 0.2, 100, 250, 301, Map.of("key_mismatch", 1L));
  }

  @Test
  void publishesTheSameFiguresAsTheSnapshot() {
    MetricsResponse[] now = {figures(2)};
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new KasComputeMeterBinder(() -> now[0]).bindTo(registry);

    assertThat(registry.get("kascompute.jobs.completed.window").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("kascompute.jobs.per.min").gauge().value()).isEqualTo(0.4);
    assertThat(registry.get("kascompute.jobs.avg.ms").gauge().value()).isEqualTo(200.0);
    assertThat(registry.get("kascompute.proofs.window").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("kascompute.tasks.completed.window").gauge().value()).isEqualTo(4.0);
    assertThat(registry.get("kascompute.work.units.window").gauge().value()).isEqualTo(60.0);
    assertThat(registry.get("kascompute.work.units.per.sec").gauge().value()).isEqualTo(0.2);
    assertThat(registry.get("kascompute.elapsed.ms").tag("quantile", "0.5").gauge().value()).isEqualTo(100.0);
    assertThat(registry.get("kascompute.elapsed.ms").tag("quantile", "0.99").gauge().value()).isEqualTo(301.0);
    assertThat(registry.get("kascompute.rejections.window").tag("code", "key_mismatch").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("kascompute.rejections.window").tag("code", "stale_lease").gauge().value()).isZero();
    assertThat(registry.get("kascompute.nodes.active").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("kascompute.nodes.online").gauge().value()).isEqualTo(3.0);

    now[0] = figures(0); // the gauges follow the snapshots
    assertThat(registry.get("kascompute.jobs.completed.window").gauge().value()).isZero();
  }
}
