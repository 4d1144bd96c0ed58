package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.wire.RunState;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Eight simulated nodes on real threads work through 100,000 tasks in five random DAGs on one
 * in-memory store, crashing (abandoning leases), failing, renewing, repeating completions and
 * jumping a shared fake clock; afterwards the recorded history must show that no task was leased
 * to two nodes at once, every task completed exactly once, nothing was lost, and every task was
 * first granted only after all of its dependencies completed.
 */
class InMemoryLeaseStoreStressTest {
  private static final int RUNS = 5;
  private static final int TASKS_PER_RUN = 20_000;
  private static final int THREADS = 8;
  private static final Duration LEASE = Duration.ofMillis(100);
  private static final LeasePolicy POLICY = new LeasePolicy(LEASE, 1_000_000);

  /**
   * One grant of one task: who held it, until when (renewals move the end), and the clock read
   * just after the grant returned. Callers' {@code now} values are skewed against the store's
   * order (a thread may pass an instant read before another thread's reclaim), so the time of a
   * grant is bounded from above by the clock read after it: every {@code now} the store had seen
   * when it granted was read from the monotone clock before that.
   */
  private static final class Lease {
    final int node;
    final long granted;
    final long grantSeq;
    volatile long expires;
    volatile boolean failed;

    Lease(int node, long granted, long expires, long grantSeq) {
      this.node = node;
      this.granted = granted;
      this.expires = expires;
      this.grantSeq = grantSeq;
    }
  }

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final LeaseStore store = CoordinatorStores.inMemory().leases();
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<Long, Lease> leases = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
  private final List<int[][]> dependencies = new ArrayList<>();
  private final List<RunId> runs = new ArrayList<>();
  private final List<ComputeDag> dags = new ArrayList<>();
  private final List<AtomicIntegerArray> completions = new ArrayList<>();
  private final List<AtomicLongArray> completedSeq = new ArrayList<>();
  private final List<AtomicIntegerArray> maxEpoch = new ArrayList<>();

  @Test
  void eightNodesCompleteEveryTaskExactlyOnceWithoutOverlappingLeases() throws Exception {
    SplittableRandom random = new SplittableRandom(20261123L);
    for (int r = 0; r < RUNS; r++) {
      createRun(r, random.split());
    }
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> nodes = new ArrayList<>();
    long start = System.nanoTime();
    for (int n = 0; n < THREADS; n++) {
      int node = n;
      SplittableRandom own = random.split();
      nodes.add(pool.submit(() -> simulateNode(node, own, done)));
    }
    try {
      for (Future<?> f : nodes) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    for (int r = 0; r < RUNS; r++) {
      RunStatus status = store.status(runs.get(r)).orElseThrow();
      assertThat(status.state()).isEqualTo(RunState.COMPLETED);
      assertThat(status.tasksCompleted()).isEqualTo(TASKS_PER_RUN);
      checkHistory(r);
    }
    assertThat(violations).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  private void createRun(int r, SplittableRandom random) {
    List<DagSpec.Node> nodes = new ArrayList<>();
    List<DagSpec.Edge> edges = new ArrayList<>();
    int[][] deps = new int[TASKS_PER_RUN][];
    for (int i = 0; i < TASKS_PER_RUN; i++) {
      nodes.add(new DagSpec.Node(id(i), 1 + random.nextInt(1000), "", JsonNull.INSTANCE));
      int count = i == 0 ? 0 : random.nextInt(Math.min(i, 4));
      int[] mine =
          count == 0 ? new int[0] : random.ints(count, Math.max(0, i - 2000), i).distinct().toArray();
      deps[i] = mine;
      for (int d : mine) {
        edges.add(new DagSpec.Edge(id(d), id(i)));
      }
    }
    ComputeDag dag = ComputeDag.compile(new DagSpec("stress-" + r, nodes, edges));
    store.putDag(dag);
    dags.add(dag);
    runs.add(store.createRun(dag.id(), clock.instant()));
    // translate spec positions to task indexes of the compiled DAG
    int[][] byIndex = new int[TASKS_PER_RUN][];
    for (int i = 0; i < TASKS_PER_RUN; i++) {
      int[] mine = deps[i];
      int[] translated = new int[mine.length];
      for (int k = 0; k < mine.length; k++) {
        translated[k] = index(dag, mine[k]);
      }
      byIndex[index(dag, i)] = translated;
    }
    dependencies.add(byIndex);
    completions.add(new AtomicIntegerArray(TASKS_PER_RUN));
    completedSeq.add(new AtomicLongArray(TASKS_PER_RUN));
    maxEpoch.add(new AtomicIntegerArray(TASKS_PER_RUN));
  }

  private void simulateNode(int node, SplittableRandom random, AtomicBoolean done) {
    NodeId nodeId = NodeId.of("kc_stress_" + node);
    boolean[] finished = new boolean[RUNS];
    int finishedCount = 0;
    while (finishedCount < RUNS && !done.get()) {
      int r = random.nextInt(RUNS);
      if (finished[r]) {
        continue;
      }
      RunId run = runs.get(r);
      Instant now = clock.instant();
      TaskGrant grant;
      try {
        grant = store.next(run, nodeId, now, POLICY).orElse(null);
      } catch (KasComputeException e) {
        if (e.code() != ErrorCode.RUN_FINISHED) {
          violations.add("next refused with " + e.code());
        }
        finished[r] = true;
        finishedCount++;
        continue;
      }
      long grantSeq = sequence.incrementAndGet();
      if (grant == null) {
        // nothing ready: abandoned leases may be holding tasks, so let time pass
        if (random.nextInt(8) == 0) {
          clock.advance(LEASE.dividedBy(2));
        }
        Thread.onSpinWait();
        continue;
      }
      act(r, node, nodeId, grant, clock.instant(), grantSeq, random);
      if (random.nextInt(2000) == 0) {
        clock.advance(Duration.ofMillis(random.nextInt(1, 150)));
      }
    }
  }

  private void act(
      int r,
      int node,
      NodeId nodeId,
      TaskGrant grant,
      Instant grantedBy,
      long grantSeq,
      SplittableRandom random) {
    RunId run = runs.get(r);
    int task = dags.get(r).indexOf(grant.taskId()).orElseThrow();
    int epoch = (int) grant.leaseEpoch();
    Lease lease = new Lease(node, nanos(grantedBy), nanos(grant.leaseExpires()), grantSeq);
    if (leases.putIfAbsent(key(r, task, epoch), lease) != null) {
      violations.add("epoch " + epoch + " of task " + task + " granted twice");
    }
    maxEpoch.get(r).accumulateAndGet(task, epoch, Math::max);
    OptionalLong held = random.nextBoolean() ? OptionalLong.of(epoch) : OptionalLong.empty();
    int roll = random.nextInt(100);
    if (roll < 3) {
      return; // crash: the lease is abandoned and must be reclaimed
    }
    try {
      if (roll < 6) {
        store.fail(run, grant.taskId(), nodeId, held, clock.instant(), POLICY);
        lease.failed = true;
        return;
      }
      if (roll < 20) {
        TaskRenewal renewal = store.renew(run, grant.taskId(), nodeId, held, clock.instant(), POLICY);
        lease.expires = nanos(renewal.leaseExpires());
      }
      long before = sequence.incrementAndGet();
      Sha256Digest proof = Sha256Digest.hash(bytes(r + "/" + task + "/" + node));
      TaskCompletion done = store.complete(run, grant.taskId(), nodeId, held, LeaseStoreContract.proof(run, grant.taskId(), nodeId, proof), clock.instant());
      if (done.repeat()) {
        violations.add("first completion of task " + task + " answered as a repeat");
      }
      completions.get(r).incrementAndGet(task);
      completedSeq.get(r).set(task, before);
      if (roll < 25) {
        TaskCompletion again = store.complete(run, grant.taskId(), nodeId, held, LeaseStoreContract.proof(run, grant.taskId(), nodeId, proof), clock.instant());
        if (!again.repeat() || !again.unlocked().equals(done.unlocked())) {
          violations.add("repeat of task " + task + " answered " + again + " after " + done);
        }
      }
    } catch (KasComputeException e) {
      // Refusals are legal only when the lease was lost: expired, reclaimed and granted again.
      if (e.code() != ErrorCode.LEASE_EXPIRED
          && e.code() != ErrorCode.STALE_LEASE
          && e.code() != ErrorCode.NOT_OWNER) {
        violations.add("unexpected refusal " + e);
      }
    }
  }

  private void checkHistory(int r) {
    AtomicIntegerArray counts = completions.get(r);
    int[][] deps = dependencies.get(r);
    for (int t = 0; t < TASKS_PER_RUN; t++) {
      if (counts.get(t) != 1) {
        violations.add("run " + r + " task " + t + " completed " + counts.get(t) + " times");
        continue;
      }
      int epochs = maxEpoch.get(r).get(t);
      Lease first = leases.get(key(r, t, 1));
      if (first == null) {
        violations.add("task " + t + " completed but never granted");
        continue;
      }
      for (int d : deps[t]) {
        if (completedSeq.get(r).get(d) >= first.grantSeq) {
          violations.add("task " + t + " was granted before its dependency " + d + " completed");
        }
      }
      for (int e = 1; e < epochs; e++) {
        Lease earlier = leases.get(key(r, t, e));
        Lease later = leases.get(key(r, t, e + 1));
        if (earlier == null || later == null) {
          violations.add("task " + t + " is missing the record of epoch " + e + " or " + (e + 1));
          continue;
        }
        if (!earlier.failed && later.granted < earlier.expires) {
          violations.add(
              "task " + t + " epoch " + (e + 1) + " granted by " + later.granted + " to node "
                  + later.node + " while node " + earlier.node + " held epoch " + e + " until "
                  + earlier.expires);
        }
      }
    }
  }

  private static int index(ComputeDag dag, int position) {
    return dag.indexOf(io.kascompute.core.TaskId.of(id(position))).orElseThrow();
  }

  private static String id(int i) {
    // spread ids so that code-point order differs from creation order
    return Integer.toString(Integer.reverse(i) >>> 1, 36) + "-" + i;
  }

  private static long key(int run, int task, int epoch) {
    return ((long) run << 56) | ((long) task << 24) | epoch;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
