package io.kascompute.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.presence.NodeRegistry;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.MetricsResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsAggregatorTest {
  // a multiple of the 10 s bucket, so that bucket boundaries fall on round offsets
  private static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  private static final NodeId M1 = NodeId.of("m1");
  private static final NodeId N1 = NodeId.of("n1");

  static NodeRegistry registry() {
    NodeRegistry r = NodeRegistry.create();
    PublicKeyBytes k = PublicKeyBytes.of(new byte[32]);
    r.heartbeat(hb("m1", "[\"node\",\"miner\"]"), k, Optional.empty(), T0);
    r.heartbeat(hb("n1", "[\"node\"]"), k, Optional.empty(), T0.plusSeconds(20));
    return r;
  }

  private static HeartbeatRequest hb(String id, String roles) {
    return HeartbeatRequest.fromJson((JsonObject) StrictJsonReader.withDefaults().read(
        "{\"node_id\":\"" + id + "\",\"public_key_hex\":\"00\",\"roles\":" + roles + "}"));
  }

  static MetricsAggregator scenario() {
    MetricsAggregator m = MetricsAggregator.create();
    m.recordJobProof(N1, 10, 100, T0.plusSeconds(5));
    m.recordJobProof(M1, 20, 200, T0.plusSeconds(15));
    m.recordJobProof(M1, 30, 300, T0.plusSeconds(25));
    m.recordTaskProof(N1, RunId.of("run-d-1"), 40, 1000, T0.plusSeconds(30));
    m.recordRejection(ErrorCode.STALE_LEASE, Optional.of(M1), T0.plusSeconds(31));
    m.recordRejection(ErrorCode.BAD_SIGNATURE, Optional.empty(), T0.plusSeconds(32));
    return m;
  }

  @Test
  void figuresMatchAHandComputedExpectation() {
    MetricsAggregator m = scenario();
    NodeRegistry r = registry();
    MetricsResponse s = m.snapshot(T0.plusSeconds(60), r);
    // 3 job proofs over a 5-minute window; mean of 100, 200, 300 ms
    assertThat(s.jobsCompletedWindow()).isEqualTo(3);
    assertThat(s.jobsPerMin()).isEqualTo(0.6);
    assertThat(s.avgJobMs()).isEqualTo(200.0);
    assertThat(s.proofsWindow()).isEqualTo(4);
    assertThat(s.tasksCompletedWindow()).isEqualTo(1);
    assertThat(s.workUnitsWindow()).isEqualTo(100);
    assertThat(s.workUnitsPerSec()).isEqualTo(100.0 / 300.0);
    // elapsed {100, 200, 300, 1000}; with 2 significant digits values below 256 are exact and
    // 1000 lies in the bucket [1000, 1003] whose highest equivalent value HdrHistogram reports
    assertThat(s.elapsedMsP50()).isEqualTo(200);
    assertThat(s.elapsedMsP95()).isEqualTo(1003);
    assertThat(s.elapsedMsP99()).isEqualTo(1003);
    assertThat(s.rejectionsWindow()).isEqualTo(Map.of("stale_lease", 1L, "bad_signature", 1L));
    assertThat(s.activeNodes90s()).isEqualTo(2);
    assertThat(s.activeMiners90s()).isEqualTo(1);
    assertThat(s.nodesOnline()).isEqualTo(2);
    assertThat(s.windowSeconds()).isEqualTo(300);
    assertThat(s.activitySeconds()).isEqualTo(90);

    // at +100 s the miner's heartbeat (at +0) is older than 90 s
    MetricsResponse later = m.snapshot(T0.plusSeconds(100), r);
    assertThat(later.activeNodes90s()).isEqualTo(1);
    assertThat(later.activeMiners90s()).isZero();

    // at +300 s the bucket [0, 10) has left the window: the first job proof is gone
    MetricsResponse slid = m.snapshot(T0.plusSeconds(300), r);
    assertThat(slid.jobsCompletedWindow()).isEqualTo(2);
    assertThat(slid.avgJobMs()).isEqualTo(250.0);
    assertThat(slid.jobsPerMin()).isEqualTo(0.4);
    assertThat(slid.workUnitsWindow()).isEqualTo(90);

    // at +340 s everything up to +39 s has left
    MetricsResponse empty = m.snapshot(T0.plusSeconds(340), r);
    assertThat(empty.proofsWindow()).isZero();
    assertThat(empty.avgJobMs()).isZero();
    assertThat(empty.elapsedMsP99()).isZero();
    assertThat(empty.rejectionsWindow()).isEmpty();

    // totals outlive the window
    assertThat(m.nodeTotals(M1)).contains(new NodeTotals(2, 50, 1));
    assertThat(m.nodeTotals(N1)).contains(new NodeTotals(2, 50, 0));
    assertThat(m.tasksCompleted(RunId.of("run-d-1"))).hasValue(1);
    assertThat(m.rejectionsTotal()).containsEntry(ErrorCode.STALE_LEASE, 1L).hasSize(2);
  }

  @Test
  void bucketsAreReusedSoMemoryStaysBoundedAndLateEventsAreDropped() {
    MetricsAggregator m = MetricsAggregator.builder().window(Duration.ofSeconds(60)).build();
    NodeRegistry r = NodeRegistry.create();
    for (int sec = 0; sec < 10_000; sec++) {
      m.recordJobProof(N1, 1, sec, T0.plusSeconds(sec));
    }
    MetricsResponse s = m.snapshot(T0.plusSeconds(9_999), r);
    // 60 s window in 2 s buckets: the 30 buckets hold seconds 9940..9999
    assertThat(s.jobsCompletedWindow()).isEqualTo(60);
    m.recordJobProof(N1, 1, 5, T0); // far older than the window: counted in totals only
    assertThat(m.snapshot(T0.plusSeconds(9_999), r).jobsCompletedWindow()).isEqualTo(60);
    assertThat(m.nodeTotals(N1).get().proofs()).isEqualTo(10_001);
  }

  @Test
  void perNodeAndPerRunTotalsAreBounded() {
    MetricsAggregator m = MetricsAggregator.builder().maxTracked(2).build();
    m.recordTaskProof(NodeId.of("a"), RunId.of("r1"), 1, 1, T0);
    m.recordTaskProof(NodeId.of("b"), RunId.of("r2"), 1, 1, T0);
    m.recordTaskProof(NodeId.of("c"), RunId.of("r3"), 1, 1, T0);
    assertThat(m.nodeTotals(NodeId.of("a"))).isEmpty();
    assertThat(m.tasksCompleted(RunId.of("r1"))).isEmpty();
    assertThat(m.tasksCompleted(RunId.of("r3"))).hasValue(1);
  }

  @Test
  void unsignedWorkUnitsSaturate() {
    MetricsAggregator m = MetricsAggregator.create();
    m.recordJobProof(N1, -2L, 1, T0);
    m.recordJobProof(N1, 5, 1, T0);
    assertThat(m.snapshot(T0, NodeRegistry.create()).workUnitsWindow()).isEqualTo(-1L);
  }
}
