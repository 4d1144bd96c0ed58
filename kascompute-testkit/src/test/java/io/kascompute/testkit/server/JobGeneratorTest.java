package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.jobs.JobStore;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JobGeneratorTest {
  private final FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
  private final JobStore jobs = CoordinatorStores.inMemory().jobs();

  private JobGenerator generator(JobStore store, FakeClock c) {
    return new JobGenerator(c, Duration.ofSeconds(10), 10, 500_000, 5_000_000, 42, store);
  }

  @Test
  void topsThePoolUpOncePerIntervalByTheInjectedClock() {
    JobGenerator g = generator(jobs, clock);
    assertThat(g.tick()).isEqualTo(10);
    assertThat(jobs.counts().pending()).isEqualTo(10);
    assertThat(g.tick()).isZero();
    jobs.next(io.kascompute.core.NodeId.of("n"), clock.instant(), io.kascompute.dag.lease.LeasePolicy.JOB_DEFAULT);
    clock.advance(Duration.ofSeconds(9));
    assertThat(g.tick()).as("not due yet").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(g.tick()).isEqualTo(1);
    assertThat(jobs.counts().pending()).isEqualTo(10);
  }

  @Test
  void twoGeneratorsOnOneStoreNeverOverfillIt() {
    JobGenerator a = generator(jobs, clock);
    JobGenerator b = generator(jobs, clock);
    assertThat(a.tick() + b.tick()).isEqualTo(10);
    assertThat(jobs.counts().pending()).isEqualTo(10);
  }

  @Test
  void drawsWorkUnitsFromTheDeployedRangeDeterministically() {
    generator(jobs, clock).tick();
    List<Long> first = jobs.jobs(OptionalLong.empty(), 100).stream().map(JobRecord::workUnits).toList();
    assertThat(first).hasSize(10).allSatisfy(w -> assertThat(w).isBetween(500_000L, 5_000_000L));
    JobStore other = CoordinatorStores.inMemory().jobs();
    generator(other, FakeClock.at(Instant.ofEpochSecond(1_710_000_000))).tick();
    assertThat(other.jobs(OptionalLong.empty(), 100).stream().map(JobRecord::workUnits).toList())
        .isEqualTo(first);
  }
}
