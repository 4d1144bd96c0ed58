package io.kascompute.testkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.testkit.FakeClock;
import io.kascompute.testkit.server.ReferenceServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.kascompute.core.wire.RunState;
import io.kascompute.core.wire.RunStatusResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two reference servers sharing one PostgreSQL database, with the fleet split across both. */
@Tag("slow")
class FleetPostgresTest {
  private static final int TASKS = 200;
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void twoServersOnOneDatabaseCompleteARunExactlyOnce() throws Exception {
    FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    String url = postgres.getJdbcUrl("postgres", "postgres");
    try (ReferenceServer a = server(clock, url, 1); ReferenceServer b = server(clock, url, 2)) {
      a.start();
      b.start();
      String runId = DagRuns.start(a.uri(), DagGenerator.layeredSubmitBody("pg-test", TASKS, 13));

      FleetReport report = Fleet.builder()
          .url(a.uri())
          .url(b.uri())
          .nodes(6)
          .seed(4)
          .faultRate(0.2)
          .run(runId)
          .untilIdle()
          .leaseTime(LeaseTime.controlled(clock, clock::advance, Duration.ofSeconds(3)))
          .build()
          .run();

      assertThat(report.unexpected()).isEmpty();
      assertThat(report.clean()).isTrue();
      assertThat(report.runsFinished()).isTrue();
      assertThat(report.tasksCompleted()).isEqualTo(TASKS);
      assertThat(report.duplicateCompletions()).isZero();
      long injected = report.faultsInjected().values().stream().mapToLong(Long::longValue).sum();
      assertThat(injected).isPositive();
      assertThat(report.faultsExpected()).isEqualTo(injected);
      for (ReferenceServer s : new ReferenceServer[] {a, b}) {
        RunStatusResponse state = DagRuns.status(s.uri(), runId);
        assertThat(state.state()).as("run seen completed through %s", s.uri()).isEqualTo(RunState.COMPLETED);
        assertThat(state.tasksCompleted()).isEqualTo(TASKS);
      }
    }
  }

  private static ReferenceServer server(FakeClock clock, String url, long jobSeed) {
    return ReferenceServer.builder()
        .port(0)
        .clock(clock)
        .jdbc(url, "postgres", "postgres")
        .taskLease(Duration.ofSeconds(30))
        .jobLease(Duration.ofSeconds(30))
        .maxAttempts(50)
        .jobInterval(Duration.ofSeconds(1))
        .jobSeed(jobSeed)
        .build();
  }
}
