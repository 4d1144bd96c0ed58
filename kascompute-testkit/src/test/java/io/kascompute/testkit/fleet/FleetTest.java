package io.kascompute.testkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.RunId;
import io.kascompute.core.wire.RunState;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.crypto.BulkVerifier;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.testkit.FakeClock;
import io.kascompute.testkit.server.ReferenceServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet against the reference server over real loopback HTTP, with every kind of fault. */
@Tag("slow")
class FleetTest {
  private static final int TASKS = 300;

  @TempDir Path dir;

  @Test
  void completesARunExactlyOnceAndEveryFaultIsRefusedAsExpected() throws Exception {
    FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    try (ReferenceServer server = ReferenceServer.builder()
        .port(0)
        .clock(clock)
        .taskLease(Duration.ofSeconds(30))
        .jobLease(Duration.ofSeconds(30))
        .maxAttempts(50)
        .jobInterval(Duration.ofSeconds(1))
        .jobSeed(7)
        .build()) {
      server.start();
      String runId = DagRuns.start(server.uri(), DagGenerator.layeredSubmitBody("fleet-test", TASKS, 11));
      Path log = dir.resolve("proofs.jsonl");

      FleetReport report = Fleet.builder()
          .url(server.uri())
          .nodes(6)
          .launcherNodes(2)
          .seed(3)
          .faultRate(0.25)
          .run(runId)
          .untilIdle()
          .proofLog(log)
          .leaseTime(LeaseTime.controlled(clock, clock::advance, Duration.ofSeconds(3)))
          .build()
          .run();

      assertThat(report.unexpected()).isEmpty();
      assertThat(report.clean()).isTrue();
      assertThat(report.runsFinished()).isTrue();
      assertThat(report.tasksCompleted()).isEqualTo(TASKS);
      assertThat(report.duplicateCompletions()).isZero();
      for (Fault f : Fault.values()) {
        assertThat(report.faultsInjected().getOrDefault(f, 0L)).as("injected %s", f).isPositive();
      }
      long injected = report.faultsInjected().values().stream().mapToLong(Long::longValue).sum();
      assertThat(report.faultsExpected()).isEqualTo(injected);
      assertThat(report.faultsUnexpected()).isZero();
      assertThat(report.refusalsByCode()).containsKeys("stale_lease", "bad_signature");

      RunStatus status = server.coordinator().stores().leases().status(RunId.of(runId)).orElseThrow();
      assertThat(status.state()).isEqualTo(RunState.COMPLETED);
      assertThat(status.tasksCompleted()).isEqualTo(TASKS);
      assertThat(status.tasksFailed()).isZero();
      assertThat(DagRuns.status(server.uri(), runId).state()).isEqualTo(RunState.COMPLETED);

      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      assertThat(lines).hasSize((int) report.jobsAccepted());
      assertThat(report.jobsAccepted()).isPositive();
      Set<String> jobIds = new HashSet<>();
      for (String line : lines) {
        JsonObject o = (JsonObject) StrictJsonReader.withDefaults().read(line);
        assertThat(jobIds.add(o.get("job_id").orElseThrow().toString())).as("job accepted once").isTrue();
      }
      try (InputStream in = Files.newInputStream(log)) {
        BulkVerifier.Summary audit = BulkVerifier.create(ProofVerifier.create(), Runnable::run, 1)
            .verify(in, line -> { });
        assertThat(audit.lines()).isEqualTo(report.jobsAccepted());
        assertThat(audit.valid()).isEqualTo(audit.lines());
      }
    }
  }

  @Test
  void minesGeneratedJobsWithFaultsForAFixedDuration() throws Exception {
    FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    try (ReferenceServer server = ReferenceServer.builder()
        .port(0)
        .clock(clock)
        .jobLease(Duration.ofSeconds(30))
        .maxAttempts(50)
        .jobInterval(Duration.ofSeconds(1))
        .jobSeed(9)
        .build()) {
      server.start();
      Path log = dir.resolve("jobs.jsonl");
      FleetReport report = Fleet.builder()
          .url(server.uri())
          .nodes(4)
          .launcherNodes(2)
          .seed(8)
          .faultRate(0.3)
          // wall-clock bound: long enough that every fault kind comes up on a loaded machine
          .duration(Duration.ofSeconds(6))
          .proofLog(log)
          .leaseTime(LeaseTime.controlled(clock, clock::advance, Duration.ofSeconds(1)))
          .build()
          .run();

      assertThat(report.unexpected()).isEmpty();
      assertThat(report.jobsAccepted()).as(report.toString()).isGreaterThan(20);
      assertThat(report.faultsInjected()).containsKeys(
          Fault.ABANDON, Fault.STALE_EPOCH, Fault.REPLAYED_PROOF, Fault.TAMPERED_SIGNATURE);
      assertThat(report.faultsInjected()).doesNotContainKey(Fault.RUN_PAST_LEASE);
      long injected = report.faultsInjected().values().stream().mapToLong(Long::longValue).sum();
      assertThat(report.faultsExpected()).isEqualTo(injected);
      assertThat(Files.readAllLines(log)).hasSize((int) report.jobsAccepted());
    }
  }
}
