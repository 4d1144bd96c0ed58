package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcLeaseStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00.123456789Z");
  private static final LeasePolicy POLICY = new LeasePolicy(Duration.ofSeconds(10), 3);
  private static final NodeId A = NodeId.of("node-a");
  private static final NodeId B = NodeId.of("node-b");
  private static HikariDataSource ds;

  @BeforeAll
  static void start() {
    ds = EmbeddedPg.freshPool(4);
  }

  @AfterAll
  static void stop() {
    ds.close();
  }

  private static Sha256Digest proof(String s) {
    return Sha256Digest.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void installerIsIdempotentAndRecordsTheVersion() throws Exception {
    assertThat(JdbcSchema.install(ds)).isZero();
    try (var c = ds.getConnection();
        var rs = c.createStatement().executeQuery("SELECT version, script FROM kc_schema_version ORDER BY version")) {
      for (int v = 1; v <= JdbcSchema.currentVersion(); v++) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(v);
        assertThat(rs.getString(2)).isEqualTo(JdbcSchema.scripts().get(v - 1));
      }
      assertThat(rs.next()).isFalse();
      assertThat(JdbcSchema.scripts()).containsExactly("V1__lease_store.sql", "V2__coordinator_stores.sql",
          "V3__ledger.sql", "V4__ledger_rotations.sql");
    }
  }

  @Test
  void concurrentInstallersApplyEachVersionOnce() throws Exception {
    try (HikariDataSource fresh = EmbeddedPg.pool(EmbeddedPg.freshDatabase(), 4)) {
      List<Thread> threads = new ArrayList<>();
      AtomicInteger applied = new AtomicInteger();
      for (int i = 0; i < 4; i++) {
        Thread t = new Thread(() -> applied.addAndGet(JdbcSchema.install(fresh)));
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(applied).hasValue(JdbcSchema.currentVersion());
    }
  }

  @Test
  void aSecondStoreSeesTheSameDagRunAndLeases() {
    ComputeDag dag = TestDags.random("shared", 50, 3, 10, 7);
    JdbcLeaseStore first = TestDags.leases(ds);
    first.putDag(dag);
    first.putDag(dag);
    RunId run = first.createRun(dag.id(), T0);
    assertThat(run.value()).startsWith("run-" + dag.id().value() + "-");
    TaskGrant grant = first.next(run, A, T0, POLICY).orElseThrow();

    JdbcLeaseStore second = TestDags.leases(ds);
    ComputeDag loaded = second.dag(dag.id()).orElseThrow();
    assertThat(DagDefinition.encode(loaded)).isEqualTo(DagDefinition.encode(dag));
    assertThat(loaded.canonicalSpecBytes()).isEqualTo(dag.canonicalSpecBytes());
    assertThat(loaded.rootHash()).isEqualTo(dag.rootHash());
    for (int i = 0; i < dag.taskCount(); i++) {
      assertThat(loaded.taskHash(i)).isEqualTo(dag.taskHash(i));
      assertThat(loaded.rawTaskType(i)).isEqualTo(dag.rawTaskType(i));
      assertThat(loaded.params(i)).isEqualTo(dag.params(i));
    }
    RunStatus status = second.status(run).orElseThrow();
    assertThat(status.created()).isEqualTo(T0);
    assertThat(status.tasksRunning()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                second.complete(run, grant.taskId(), B, OptionalLong.of(grant.leaseEpoch()), TestDags.taskProof(run, grant.taskId(), B, proof("x")), T0))
        .extracting(e -> ((KasComputeException) e).code())
        .isEqualTo(ErrorCode.NOT_OWNER);
    TaskCompletion done =
        second.complete(run, grant.taskId(), A, OptionalLong.of(grant.leaseEpoch()), TestDags.taskProof(run, grant.taskId(), A, proof("x")), T0);
    assertThat(done.repeat()).isFalse();
    assertThat(
            first.complete(run, grant.taskId(), A, OptionalLong.empty(), TestDags.taskProof(run, grant.taskId(), A, proof("x")), T0).repeat())
        .isTrue();
    assertThat(second.dag(io.kascompute.core.DagId.of(proof("nothing")))).isEmpty();
    assertThat(second.status(RunId.of("run-nope-1"))).isEmpty();
  }

  @Test
  void batchGrantsFollowQueueOrder() {
    ComputeDag dag = TestDags.random("batch", 30, 0, 1, 3);
    JdbcLeaseStore store = TestDags.leases(ds);
    store.putDag(dag);
    RunId run = store.createRun(dag.id(), T0);
    List<TaskGrant> grants = store.nextBatch(run, A, T0, POLICY, 7);
    assertThat(grants).extracting(g -> g.taskId().value())
        .containsExactly("t0000000", "t0000001", "t0000002", "t0000003", "t0000004", "t0000005",
            "t0000006");
    assertThat(store.status(run).orElseThrow().tasksRunning()).isEqualTo(7);
  }

  /**
   * For every statement of a completion (and of the store's lookups before it) a failure at that
   * statement leaves the run exactly as it was, and retrying the completion then succeeds.
   */
  @Test
  void aConnectionFailingAtAnyStatementLeavesNoHalfAppliedCompletion() {
    ComputeDag dag = TestDags.diamond();
    JdbcLeaseStore clean = TestDags.leases(ds);
    clean.putDag(dag);
    boolean succeededWithoutFault = false;
    for (int n = 1; n <= 30 && !succeededWithoutFault; n++) {
      RunId run = clean.createRun(dag.id(), T0);
      TaskGrant a = clean.next(run, A, T0, POLICY).orElseThrow();
      TaskGrant b = clean.next(run, B, T0, POLICY).orElseThrow();
      clean.complete(run, b.taskId(), B, OptionalLong.of(b.leaseEpoch()), TestDags.taskProof(run, b.taskId(), B, proof("b")), T0);
      RunStatus before = clean.status(run).orElseThrow();

      AtomicInteger calls = new AtomicInteger();
      JdbcLeaseStore faulty =
          TestDags.leases(FailingDataSource.failOn(ds, n, calls));
      try {
        TaskCompletion done =
            faulty.complete(run, a.taskId(), A, OptionalLong.of(a.leaseEpoch()), TestDags.taskProof(run, a.taskId(), A, proof("a")), T0);
        assertThat(done.unlocked()).containsExactly(TaskId.of("c"));
        succeededWithoutFault = calls.get() < n;
        assertThat(succeededWithoutFault)
            .as("a completion whose statement %d failed must not report success", n)
            .isTrue();
      } catch (KasComputeException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(clean.status(run).orElseThrow()).isEqualTo(before);
        TaskCompletion retry =
            clean.complete(run, a.taskId(), A, OptionalLong.of(a.leaseEpoch()), TestDags.taskProof(run, a.taskId(), A, proof("a")), T0);
        assertThat(retry.repeat()).isFalse();
        assertThat(retry.unlocked()).containsExactly(TaskId.of("c"));
      }
      RunStatus after = clean.status(run).orElseThrow();
      assertThat(after.tasksCompleted()).isEqualTo(2);
      assertThat(after.tasksReady()).isEqualTo(1);
      assertThat(clean.next(run, B, T0, POLICY).orElseThrow().taskId()).isEqualTo(TaskId.of("c"));
    }
    assertThat(succeededWithoutFault).as("the loop reached a fault-free completion").isTrue();
  }

  @Test
  void clocksSkewedByFiveSecondsNeverYieldTwoLiveOwnersWithAFiveSecondGrace() {
    assertThat(skewOverlaps(Duration.ofSeconds(5))).isZero();
  }

  /** The control: without the grace the same schedule does produce overlapping live leases. */
  @Test
  void withoutGraceTheSkewedScheduleDoesOverlap() {
    assertThat(skewOverlaps(Duration.ZERO)).isPositive();
  }

  /**
   * Two coordinators on one database, B's clock 5 s ahead of A's; nodes grant, renew and abandon
   * leases over simulated real time. A lease counts as live for as long as its owner's coordinator
   * would still renew it; returns how many grants happened while another node's lease was live.
   */
  private static int skewOverlaps(Duration grace) {
    ComputeDag dag = TestDags.random("skew-" + grace.toSeconds(), 3, 0, 1, 11);
    long skewNanos = Duration.ofSeconds(5).toNanos();
    JdbcLeaseStore storeA = (JdbcLeaseStore) JdbcStores.builder(ds).reclaimGrace(grace).build().leases();
    JdbcLeaseStore storeB = (JdbcLeaseStore) JdbcStores.builder(ds).reclaimGrace(grace).build().leases();
    storeA.putDag(dag);
    LeasePolicy policy = new LeasePolicy(Duration.ofSeconds(10), 1_000_000);
    RunId run = storeA.createRun(dag.id(), T0);
    Random random = new Random(42);
    NodeId[] nodes = {NodeId.of("a1"), NodeId.of("a2"), NodeId.of("b1"), NodeId.of("b2")};
    Map<TaskId, long[]> live = new HashMap<>(); // task -> {owner, live-until real nanos, epoch}
    int overlaps = 0;
    long real = 0;
    for (int step = 0; step < 400; step++) {
      real += random.nextInt(1500) * 1_000_000L;
      int who = random.nextInt(nodes.length);
      boolean onB = who >= 2;
      long offset = onB ? skewNanos : 0;
      Instant now = T0.plusNanos(real + offset);
      JdbcLeaseStore store = onB ? storeB : storeA;
      TaskId held = null;
      for (Map.Entry<TaskId, long[]> e : live.entrySet()) {
        if (e.getValue()[0] == who) {
          held = e.getKey();
        }
      }
      if (held != null && random.nextInt(3) > 0) {
        long[] lease = live.get(held);
        try {
          Instant expires =
              store.renew(run, held, nodes[who], OptionalLong.of(lease[2]), now, policy)
                  .leaseExpires();
          lease[1] = Duration.between(T0, expires).toNanos() - offset;
        } catch (KasComputeException e) {
          live.remove(held);
        }
        continue;
      }
      Optional<TaskGrant> grant = store.next(run, nodes[who], now, policy);
      if (grant.isPresent()) {
        TaskGrant g = grant.get();
        long[] previous = live.get(g.taskId());
        if (previous != null && previous[0] != who && previous[1] > real) {
          overlaps++;
        }
        long liveUntil = Duration.between(T0, g.leaseExpires()).toNanos() - offset;
        live.put(g.taskId(), new long[] {who, liveUntil, g.leaseEpoch()});
      }
    }
    return overlaps;
  }
}
