package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.wire.RunState;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseState;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.store.CoordinatorStores;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A database created by the release with schema version 1 (runs and leases only, task ids and
 * owners as {@code text}) upgrades in place, and its runs continue: the rows are written here with
 * that release's statements, the schema is upgraded by {@link JdbcSchema#install}, and the run is
 * finished through a store set of this release.
 */
class JdbcSchemaUpgradeTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private static final LeasePolicy POLICY = new LeasePolicy(Duration.ofMinutes(10), 3);
  /** A version-1 owner with characters outside ASCII, to check the text-to-bytea rewrite. */
  private static final NodeId OWNER_A = NodeId.of("n\u00f6de-a-\uD83D\uDE00");
  private static final NodeId OWNER_B = NodeId.of("node-b");

  @Test
  void aVersionOneDatabaseUpgradesInPlaceAndItsRunContinues() throws Exception {
    ComputeDag dag = TestDags.diamond(); // a, b -> c -> d
    Sha256Digest proofB = Sha256Digest.hash("b".getBytes(StandardCharsets.UTF_8));
    String runId = "run-" + dag.id().value() + "-1";
    try (HikariDataSource ds = EmbeddedPg.pool(EmbeddedPg.freshDatabase(), 2)) {
      assertThat(JdbcSchema.installUpTo(ds, 1)).isEqualTo(1);
      fillAsVersionOne(ds, dag, runId, proofB);

      assertThat(JdbcSchema.install(ds)).isEqualTo(JdbcSchema.currentVersion() - 1);
      assertThat(JdbcSchema.install(ds)).isZero();

      CoordinatorStores stores = JdbcStores.create(ds);
      RunId run = RunId.of(runId);
      RunStatus before = stores.leases().status(run).orElseThrow();
      assertThat(List.of(before.tasksPending(), before.tasksReady(), before.tasksRunning(),
          before.tasksCompleted())).containsExactly(2, 0, 1, 1);
      List<TaskLeaseState> tasks = stores.leases().tasks(run, Optional.empty(), 10);
      assertThat(tasks.get(0).owner()).contains(OWNER_A);
      assertThat(tasks.get(0).state()).isEqualTo(LeaseState.RUNNING);
      assertThat(stores.leases().dags(Optional.empty(), 10)).extracting(d -> d.dagId())
          .containsExactly(dag.id());

      // the version-1 holder completes its task; the version-1 completion answers as a repeat
      TaskCompletion a = stores.leases().complete(run, TaskId.of("a"), OWNER_A, OptionalLong.of(1),
          TestDags.taskProof(run, TaskId.of("a"), OWNER_A, proofB), T0.plusSeconds(5));
      assertThat(a.unlocked()).containsExactly(TaskId.of("c"));
      TaskCompletion repeat = stores.leases().complete(run, TaskId.of("b"), OWNER_B,
          OptionalLong.of(1), withIdentity(run, "b", proofB), T0.plusSeconds(5));
      assertThat(repeat.repeat()).isTrue();
      assertThat(repeat.recorded()).isEmpty(); // version 1 kept no proof record

      for (String expected : List.of("c", "d")) {
        TaskGrant g = stores.leases().next(run, OWNER_B, T0.plusSeconds(6), POLICY).orElseThrow();
        assertThat(g.taskId().value()).isEqualTo(expected);
        stores.leases().complete(run, g.taskId(), OWNER_B, OptionalLong.of(g.leaseEpoch()),
            TestDags.taskProof(run, g.taskId(), OWNER_B, proofB), T0.plusSeconds(7));
      }
      assertThat(stores.leases().status(run).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
      assertThat(stores.ledger().size()).isEqualTo(3);
      // the run sequence continues after the version-1 run
      assertThat(stores.leases().createRun(dag.id(), T0).value())
          .isEqualTo("run-" + dag.id().value() + "-2");
    }
  }

  @Test
  void aVersionTwoDatabaseStartsTheVerifiableLogEmptyAndForgetsTheIndexesItHadHandedOut()
      throws Exception {
    try (HikariDataSource ds = EmbeddedPg.pool(EmbeddedPg.freshDatabase(), 2)) {
      assertThat(JdbcSchema.installUpTo(ds, 2)).isEqualTo(2);
      try (Connection c = ds.getConnection()) {
        // what version 2 recorded for one verified job proof: seq 0 with ledger index 0
        c.createStatement().execute("UPDATE kc_proof_head SET size = 1, verified = 1");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kc_proof (seq, ledger_index,"
            + " proof_hash, kind, node_id, job_id, work_units, workload_mode, elapsed_ms,"
            + " client_version, ts, scheme, signature, public_key, lease_epoch, accepted_ns,"
            + " coordinator) VALUES (0, 0, ?, 0, ?, 7, 1, ?, 1, ?, 1, 0, ?, ?, 1, 0, ?)")) {
          ps.setBytes(1, Sha256Digest.hash(new byte[] {1}).toByteArray());
          ps.setBytes(2, "node".getBytes(StandardCharsets.UTF_8));
          ps.setBytes(3, "sim".getBytes(StandardCharsets.UTF_8));
          ps.setBytes(4, "v2".getBytes(StandardCharsets.UTF_8));
          ps.setBytes(5, "ab".repeat(64).getBytes(StandardCharsets.UTF_8));
          ps.setBytes(6, new byte[32]);
          ps.setBytes(7, "c".getBytes(StandardCharsets.UTF_8));
          ps.executeUpdate();
        }
      }
      assertThat(JdbcSchema.install(ds)).isEqualTo(JdbcSchema.currentVersion() - 2);

      CoordinatorStores stores = JdbcStores.create(ds);
      assertThat(stores.ledger().log().size()).isZero();
      assertThat(stores.ledger().recent(OptionalLong.empty(), 10)).singleElement()
          .satisfies(r -> assertThat(r.ledgerIndex()).isEmpty());
      assertThat(stores.ledger().size()).isEqualTo(1);
    }
  }

  /** A completion proof whose identity is exactly {@code identity}, as version 1 stored it. */
  private static io.kascompute.dag.ledger.AcceptedProof withIdentity(
      RunId run, String task, Sha256Digest identity) {
    io.kascompute.dag.ledger.AcceptedProof p =
        TestDags.taskProof(run, TaskId.of(task), OWNER_B, identity);
    return new io.kascompute.dag.ledger.AcceptedProof(p.kind(), p.nodeId(), p.minerId(), p.jobId(),
        p.runId(), p.taskId(), p.taskHash(), p.workUnits(), p.workloadMode(), p.elapsedMs(),
        p.clientVersion(), p.ts(), p.scheme(), p.signature(), p.publicKey(), identity,
        p.leaseEpoch(), p.assigned(), p.accepted(), p.coordinator());
  }

  /**
   * What the version-1 store left after {@code a} was granted to {@link #OWNER_A} and {@code b}
   * completed by {@link #OWNER_B}: its statements, with the text columns of version 1.
   */
  private static void fillAsVersionOne(HikariDataSource ds, ComputeDag dag, String run,
      Sha256Digest proofB) throws Exception {
    long created = T0.getEpochSecond() * 1_000_000_000L;
    long expires = created + Duration.ofHours(1).toNanos();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kc_dag (dag_id, name, task_count, edge_count, definition) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, dag.id().value());
        ps.setString(2, dag.name());
        ps.setInt(3, dag.taskCount());
        ps.setInt(4, dag.edgeCount());
        ps.setBytes(5, DagDefinition.encode(dag));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kc_dag_edge (dag_id, from_index, to_index) VALUES (?, 0, 2), (?, 1, 2), (?, 2, 3)")) {
        ps.setString(1, dag.id().value());
        ps.setString(2, dag.id().value());
        ps.setString(3, dag.id().value());
        ps.executeUpdate();
      }
      c.createStatement().execute("SELECT nextval('kc_run_seq')");
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kc_run (run_id, run_seq, dag_id, created_ns, tasks_total) VALUES (?, 1, ?, ?, 4)")) {
        ps.setString(1, run);
        ps.setString(2, dag.id().value());
        ps.setLong(3, created);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kc_run_count (run_id, shard, pending, ready, running, completed, failed)"
              + " SELECT ?, s, CASE WHEN s = 0 THEN 2 ELSE 0 END, 0,"
              + " CASE WHEN s = 3 THEN 1 ELSE 0 END, CASE WHEN s = 7 THEN 1 ELSE 0 END, 0"
              + " FROM generate_series(0, 15) AS s")) {
        ps.setString(1, run);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kc_task (run_id, task_index, task_id, state, epoch, owner, claimed,"
              + " lease_expires, attempts, remaining_deps, ready_seq, ready_rank, proof_hash, unlocked)"
              + " VALUES (?, 0, 'a', 2, 1, ?, true, ?, 1, 0, NULL, NULL, NULL, NULL),"
              + " (?, 1, 'b', 3, 1, 'node-b', false, NULL, 1, 0, NULL, NULL, ?, '{}'),"
              + " (?, 2, 'c', 0, 0, NULL, false, NULL, 0, 1, NULL, NULL, NULL, NULL),"
              + " (?, 3, 'd', 0, 0, NULL, false, NULL, 0, 1, NULL, NULL, NULL, NULL)")) {
        ps.setString(1, run);
        ps.setString(2, OWNER_A.value());
        ps.setLong(3, expires);
        ps.setString(4, run);
        ps.setBytes(5, proofB.toByteArray());
        ps.setString(6, run);
        ps.setString(7, run);
        ps.executeUpdate();
      }
    }
  }
}
