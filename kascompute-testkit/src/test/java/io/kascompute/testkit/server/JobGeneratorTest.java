package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobGeneratorTest {
  private final FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
  private final List<Long> offered = new ArrayList<>();
  private final AtomicInteger miners = new AtomicInteger(3);

  private JobGenerator generator() {
    return new JobGenerator(clock, Duration.ofSeconds(10), 5, 8, 42, miners::get, offered::size,
        offered::add);
  }

  @Test
  void addsOneJobPerIntervalByTheInjectedClock() {
    JobGenerator g = generator();
    assertThat(g.tick()).isEqualTo(1);
    assertThat(g.tick()).isZero();
    clock.advance(Duration.ofSeconds(9));
    assertThat(g.tick()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(g.tick()).isEqualTo(1);
    assertThat(offered).hasSize(2).allSatisfy(w -> assertThat(w).isBetween(5L, 8L));
  }

  @Test
  void keepsThePoolAtTheNumberOfOnlineMiners() {
    JobGenerator g = generator();
    clock.advance(Duration.ofSeconds(100));
    assertThat(g.tick()).isEqualTo(3);
    assertThat(offered).hasSize(3);
    miners.set(0);
    offered.clear();
    clock.advance(Duration.ofSeconds(100));
    assertThat(g.tick()).as("at least one job even with no miner online").isEqualTo(1);
  }

  @Test
  void drawsWorkUnitsFromTheWholeRangeDeterministically() {
    miners.set(1000);
    JobGenerator g = generator();
    clock.advance(Duration.ofSeconds(10 * 63));
    g.tick();
    assertThat(offered).hasSize(64).contains(5L, 6L, 7L, 8L);
    List<Long> first = List.copyOf(offered);
    offered.clear();
    FakeClock again = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    JobGenerator h = new JobGenerator(again, Duration.ofSeconds(10), 5, 8, 42, miners::get,
        offered::size, offered::add);
    again.advance(Duration.ofSeconds(10 * 63));
    h.tick();
    assertThat(offered).isEqualTo(first);
  }

  @Test
  void catchesUpAtMostABoundedNumberOfIntervalsAfterAClockJump() {
    miners.set(1_000_000);
    JobGenerator g = generator();
    clock.advance(Duration.ofDays(365));
    assertThat(g.tick()).isEqualTo(64);
    assertThat(g.tick()).isZero();
    clock.advance(Duration.ofSeconds(10));
    assertThat(g.tick()).isEqualTo(1);
  }
}
