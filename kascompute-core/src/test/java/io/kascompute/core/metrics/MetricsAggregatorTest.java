package io.kascompute.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsAggregatorTest {
  // a multiple of the 10 s bucket, so that bucket boundaries fall on round offsets
  private static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);

  @Test
  void percentilesAndRejectionsFollowTheWindow() {
    MetricsAggregator m = MetricsAggregator.create();
    m.recordProof(100, T0.plusSeconds(5));
    m.recordProof(200, T0.plusSeconds(15));
    m.recordProof(300, T0.plusSeconds(25));
    m.recordProof(1000, T0.plusSeconds(30));
    m.recordRejection(ErrorCode.STALE_LEASE, T0.plusSeconds(31));
    m.recordRejection(ErrorCode.BAD_SIGNATURE, T0.plusSeconds(32));

    MetricsAggregator.Snapshot s = m.snapshot(T0.plusSeconds(60));
    // elapsed {100, 200, 300, 1000}; with 2 significant digits values below 256 are exact and
    // 1000 lies in the bucket [1000, 1003] whose highest equivalent value HdrHistogram reports
    assertThat(s.elapsedMsP50()).isEqualTo(200);
    assertThat(s.elapsedMsP95()).isEqualTo(1003);
    assertThat(s.elapsedMsP99()).isEqualTo(1003);
    assertThat(s.rejections()).isEqualTo(Map.of("stale_lease", 1L, "bad_signature", 1L));

    // at +300 s the bucket [0, 10) has left the window: the first proof is gone
    // 300 lies in the 2 ms wide bucket [300, 301]
    assertThat(m.snapshot(T0.plusSeconds(300)).elapsedMsP50()).isEqualTo(301);

    // at +340 s everything up to +39 s has left
    MetricsAggregator.Snapshot empty = m.snapshot(T0.plusSeconds(340));
    assertThat(empty.elapsedMsP99()).isZero();
    assertThat(empty.rejections()).isEmpty();
  }

  @Test
  void bucketsAreReusedSoMemoryStaysBoundedAndLateEventsAreDropped() {
    MetricsAggregator m = MetricsAggregator.create(Duration.ofSeconds(60));
    for (int sec = 0; sec < 10_000; sec++) {
      m.recordRejection(ErrorCode.STALE_LEASE, T0.plusSeconds(sec));
    }
    // 60 s window in 2 s buckets: the 30 buckets hold seconds 9940..9999
    assertThat(m.snapshot(T0.plusSeconds(9_999)).rejections()).containsEntry("stale_lease", 60L);
    m.recordRejection(ErrorCode.STALE_LEASE, T0); // far older than the window: dropped
    assertThat(m.snapshot(T0.plusSeconds(9_999)).rejections()).containsEntry("stale_lease", 60L);
  }

  @Test
  void elapsedTimesBeyondAWeekAndUnsignedValuesAreClamped() {
    MetricsAggregator m = MetricsAggregator.create();
    m.recordProof(-1L, T0);
    assertThat(m.snapshot(T0).elapsedMsP50())
        .isGreaterThanOrEqualTo(MetricsAggregator.MAX_TRACKED_ELAPSED_MS);
  }
}
