package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.RunState;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Several coordinators, each a {@link JdbcLeaseStore} with its own HikariCP pool, share one
 * PostgreSQL database and drive one run to completion with node threads that abandon leases at
 * random; the recorded history is then checked for double grants, lost or repeated completions
 * and dependency order.
 */
@Tag("slow")
class MultiCoordinatorTest {
  private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
  private static final long TICK_NANOS = 20_000;
  private static final LeasePolicy POLICY = new LeasePolicy(Duration.ofMillis(50), 1_000_000);

  record Grant(int task, String node, long epoch, long timeAfter, long expires, long seqAfter) {}

  record Completion(int task, String node, long epoch, long seqBefore, boolean repeat) {}

  /** Shared history and the fake time every coordinator reads (it advances on every call). */
  static final class World {
    final AtomicLong time = new AtomicLong();
    final AtomicLong seq = new AtomicLong();
    final Queue<Grant> grants = new ConcurrentLinkedQueue<>();
    final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    final AtomicInteger abandoned = new AtomicInteger();
    final Queue<Completion> attempted = new ConcurrentLinkedQueue<>();
    final Queue<Completion> fenced = new ConcurrentLinkedQueue<>();
    /** The {@code now} of each grant call whose answer was lost when its store went down. */
    final Queue<Long> lostGrants = new ConcurrentLinkedQueue<>();
    /** While set, nodes of the surviving coordinator wait for {@link #resumed} before each call. */
    final AtomicBoolean paused = new AtomicBoolean();
    final CountDownLatch resumed = new CountDownLatch(1);

    void awaitResumeIfPaused() throws InterruptedException {
      if (paused.get()) {
        resumed.await();
      }
    }

    Instant now() {
      return T0.plusNanos(time.addAndGet(TICK_NANOS));
    }
  }

  /**
   * A node thread loop: grant, then complete or (1 in 50) abandon, until the run is finished; a
   * {@code pausable} node waits while {@link World#paused} is set.
   */
  static Thread node(
      World w, JdbcLeaseStore store, RunId run, ComputeDag dag, String name, long seed,
      AtomicBoolean storeDown, boolean pausable) {
    NodeId node = NodeId.of(name);
    Random random = new Random(seed);
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  if (pausable) {
                    w.awaitResumeIfPaused();
                  }
                  Instant now = w.now();
                  Optional<TaskGrant> g;
                  try {
                    g = store.next(run, node, now, POLICY);
                  } catch (KasComputeException e) {
                    if (e.code() == ErrorCode.RUN_FINISHED) {
                      return;
                    }
                    if (storeDown.get() && e.code() == ErrorCode.STORE_UNAVAILABLE) {
                      // The grant may have committed although its answer never came back.
                      w.lostGrants.add(Duration.between(T0, now).toNanos());
                      return;
                    }
                    throw e;
                  }
                  if (g.isEmpty()) {
                    // Idle: let time pass faster so abandoned leases expire, and give way.
                    w.time.addAndGet(50 * TICK_NANOS);
                    Thread.yield();
                    continue;
                  }
                  TaskGrant grant = g.get();
                  int task = dag.indexOf(grant.taskId()).getAsInt();
                  w.grants.add(
                      new Grant(
                          task,
                          name,
                          grant.leaseEpoch(),
                          w.time.get(),
                          Duration.between(T0, grant.leaseExpires()).toNanos(),
                          w.seq.incrementAndGet()));
                  if (random.nextInt(50) == 0) {
                    w.abandoned.incrementAndGet();
                    continue;
                  }
                  long before = w.seq.incrementAndGet();
                  w.attempted.add(new Completion(task, name, grant.leaseEpoch(), before, false));
                  TaskCompletion done;
                  try {
                    done =
                        store.complete(
                            run,
                            grant.taskId(),
                            node,
                            OptionalLong.of(grant.leaseEpoch()),
                            TestDags.taskProof(run, grant.taskId(), node,
                                Sha256Digest.hash(grant.taskHash().toByteArray())),
                            w.now());
                  } catch (KasComputeException e) {
                    if (e.code() != ErrorCode.STALE_LEASE) {
                      throw e;
                    }
                    // The lease expired before the completion and was granted again: fenced.
                    w.fenced.add(new Completion(task, name, grant.leaseEpoch(), before, false));
                    continue;
                  }
                  w.completions.add(
                      new Completion(task, name, grant.leaseEpoch(), before, done.repeat()));
                }
              } catch (KasComputeException e) {
                if (storeDown.get() && e.code() == ErrorCode.STORE_UNAVAILABLE) {
                  return;
                }
                throw e;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            },
            name);
    t.setUncaughtExceptionHandler((th, e) -> FAILURES.add(th.getName() + ": " + e));
    return t;
  }

  static final Queue<String> FAILURES = new ConcurrentLinkedQueue<>();

  /** Checks the history: one completion per task, no overlapping grants, dependencies first. */
  static void checkHistory(World w, ComputeDag dag, boolean storeWentDown) {
    assertThat(FAILURES).isEmpty();
    int n = dag.taskCount();
    Completion[] completion = new Completion[n];
    for (Completion c : w.completions) {
      assertThat(c.repeat()).isFalse();
      assertThat(completion[c.task()]).as("task %d completed twice", c.task()).isNull();
      completion[c.task()] = c;
    }
    List<List<Grant>> byTask = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byTask.add(new ArrayList<>());
    }
    for (Grant g : w.grants) {
      byTask.get(g.task()).add(g);
    }
    if (storeWentDown) {
      // A completion whose answer was lost when its pool closed may still have committed; the
      // store then refuses the retry, so the attempt stands for the completion.
      for (Completion c : w.attempted) {
        if (completion[c.task()] == null) {
          completion[c.task()] = c;
        }
      }
    }
    for (Completion c : w.fenced) {
      // A completion refused as stale must have lost its lease to a later grant.
      assertThat(byTask.get(c.task()))
          .as("task %d: completion at epoch %d refused as stale", c.task(), c.epoch())
          .anyMatch(g -> g.epoch() > c.epoch());
    }
    // A grant whose answer was lost may have committed unseen: it leaves one gap in its task's
    // epochs, and the next grant of that task must still come after the lost lease expired.
    List<Long> lostExpiries = new ArrayList<>();
    for (long now : w.lostGrants) {
      lostExpiries.add(now + POLICY.leaseDuration().toNanos());
    }
    assertThat(storeWentDown || lostExpiries.isEmpty()).isTrue();
    for (int i = 0; i < n; i++) {
      assertThat(completion[i]).as("task %d never completed", i).isNotNull();
      List<Grant> grants = byTask.get(i);
      grants.sort(Comparator.comparingLong(Grant::epoch));
      long expected = 1;
      for (int k = 0; k < grants.size(); k++) {
        Grant g = grants.get(k);
        if (g.epoch() == expected + 1) {
          Long lost =
              lostExpiries.stream()
                  .filter(x -> g.timeAfter() >= x)
                  .max(Comparator.naturalOrder())
                  .orElse(null);
          assertThat(lost)
              .as("task %d: epoch %d never granted, and no lost grant accounts for it", i, expected)
              .isNotNull();
          lostExpiries.remove(lost);
          expected++;
        }
        assertThat(g.epoch()).as("epochs of task %d", i).isEqualTo(expected);
        expected++;
        if (k > 0) {
          Grant previous = grants.get(k - 1);
          // Whoever reclaimed the previous lease passed a now at or after its expiry, and drew
          // that now from the shared time before this grant returned.
          assertThat(g.timeAfter())
              .as("task %d granted to %s while %s held a live lease", i, g.node(), previous.node())
              .isGreaterThanOrEqualTo(previous.expires());
        }
      }
      Grant last = grants.get(grants.size() - 1);
      assertThat(completion[i].epoch()).isEqualTo(last.epoch());
      assertThat(completion[i].node()).isEqualTo(last.node());
      for (int k = 0; k < dag.dependentCount(i); k++) {
        int d = dag.dependent(i, k);
        assertThat(completion[i].seqBefore())
            .as("task %d granted before its dependency %d completed", d, i)
            .isLessThan(byTask.get(d).get(0).seqAfter());
      }
    }
  }

  @Test
  void twoCoordinatorsWithFourNodesEachFinishTwentyThousandTasksExactlyOnce() throws Exception {
    FAILURES.clear();
    String url = EmbeddedPg.freshDatabase();
    try (HikariDataSource poolA = EmbeddedPg.pool(url, 4);
        HikariDataSource poolB = EmbeddedPg.pool(url, 4)) {
      JdbcSchema.install(poolA);
      JdbcLeaseStore a = TestDags.leases(poolA);
      JdbcLeaseStore b = TestDags.leases(poolB);
      ComputeDag dag = TestDags.random("multi", 20_000, 3, 200, 20_000);
      a.putDag(dag);
      RunId run = a.createRun(dag.id(), T0);
      World w = new World();
      AtomicBoolean down = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        threads.add(node(w, a, run, dag, "a" + i, i, down, false));
        threads.add(node(w, b, run, dag, "b" + i, 100 + i, down, false));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      checkHistory(w, dag, false);
      assertThat(w.abandoned.get()).isPositive();
      RunStatus status = b.status(run).orElseThrow();
      assertThat(status.state()).isEqualTo(RunState.COMPLETED);
      assertThat(status.tasksCompleted()).isEqualTo(20_000);
    }
  }

  @Test
  void aRestartedCoordinatorFinishesTheRunWithNothingLost() throws Exception {
    FAILURES.clear();
    String url = EmbeddedPg.freshDatabase();
    HikariDataSource poolA = EmbeddedPg.pool(url, 2);
    try (HikariDataSource poolB = EmbeddedPg.pool(url, 2)) {
      JdbcSchema.install(poolA);
      JdbcLeaseStore a = TestDags.leases(poolA);
      JdbcLeaseStore b = TestDags.leases(poolB);
      ComputeDag dag = TestDags.random("restart", 3_000, 3, 100, 3_000);
      a.putDag(dag);
      RunId run = a.createRun(dag.id(), T0);
      World w = new World();
      AtomicBoolean aDown = new AtomicBoolean();
      AtomicBoolean never = new AtomicBoolean();
      List<Thread> first =
          List.of(
              node(w, a, run, dag, "a0", 1, aDown, false),
              node(w, a, run, dag, "a1", 2, aDown, false));
      List<Thread> second = new ArrayList<>(List.of(node(w, b, run, dag, "b0", 3, never, true)));
      first.forEach(Thread::start);
      second.forEach(Thread::start);
      while (w.completions.size() < 1_000) {
        Thread.onSpinWait();
      }
      // Hold the surviving coordinator's node so that the run is still going at the restart.
      w.paused.set(true);
      aDown.set(true);
      poolA.close();
      for (Thread t : first) {
        t.join();
      }
      assertThat(b.status(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      try (HikariDataSource poolC = EmbeddedPg.pool(url, 2)) {
        JdbcLeaseStore c = TestDags.leases(poolC);
        Thread restarted = node(w, c, run, dag, "c0", 4, never, false);
        restarted.start();
        w.resumed.countDown();
        second.add(restarted);
        for (Thread t : second) {
          t.join();
        }
        checkHistory(w, dag, true);
        RunStatus status = c.status(run).orElseThrow();
        assertThat(status.state()).isEqualTo(RunState.COMPLETED);
        assertThat(status.tasksCompleted()).isEqualTo(3_000);
      }
    }
  }
}
