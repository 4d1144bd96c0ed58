package io.kascompute.core.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.core.metrics.MetricsAggregator;
import io.kascompute.core.presence.NodeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KasComputeMeterBinderTest {
  private static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);

  @Test
  void publishesTheSameFiguresAsTheSnapshot() {
    MetricsAggregator m = MetricsAggregator.create();
    NodeRegistry r = NodeRegistry.create();
    NodeId n = NodeId.of("n");
    m.recordJobProof(n, 30, 100, T0);
    m.recordJobProof(n, 30, 300, T0.plusSeconds(1));
    m.recordRejection(ErrorCode.KEY_MISMATCH, Optional.of(n), T0);
    Instant[] now = {T0.plusSeconds(2)};
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new KasComputeMeterBinder(() -> m.snapshot(now[0], r)).bindTo(registry);

    assertThat(registry.get("kascompute.jobs.completed.window").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("kascompute.jobs.per.min").gauge().value()).isEqualTo(0.4);
    assertThat(registry.get("kascompute.jobs.avg.ms").gauge().value()).isEqualTo(200.0);
    assertThat(registry.get("kascompute.proofs.window").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("kascompute.work.units.window").gauge().value()).isEqualTo(60.0);
    assertThat(registry.get("kascompute.work.units.per.sec").gauge().value()).isEqualTo(0.2);
    assertThat(registry.get("kascompute.elapsed.ms").tag("quantile", "0.5").gauge().value()).isEqualTo(100.0);
    assertThat(registry.get("kascompute.elapsed.ms").tag("quantile", "0.99").gauge().value()).isEqualTo(301.0);
    assertThat(registry.get("kascompute.rejections.window").tag("code", "key_mismatch").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("kascompute.rejections.window").tag("code", "stale_lease").gauge().value()).isZero();
    assertThat(registry.get("kascompute.nodes.active").gauge().value()).isZero();

    now[0] = T0.plusSeconds(400); // the gauges follow the window
    assertThat(registry.get("kascompute.jobs.completed.window").gauge().value()).isZero();
  }
}
