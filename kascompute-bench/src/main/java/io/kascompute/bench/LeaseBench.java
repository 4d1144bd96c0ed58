package io.kascompute.bench;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Grant + complete cycles per second on the in-memory lease store, on a wide DAG (every task a
 * root) of 10k or 1M tasks; a finished run is replaced by a fresh one, so run creation is part of
 * the cost. Baseline: one put + take on a lock-based {@link ArrayBlockingQueue}, the cheapest
 * locked hand-off the JDK offers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeaseBench {
  private static final LeasePolicy POLICY = LeasePolicy.TASK_DEFAULT;
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * One wide DAG, and per measurement iteration one store and its current run, shared by all
   * benchmark threads. A finished run is replaced by a new run of the same DAG in the same store
   * (run creation is part of the measured cost); the store is renewed per iteration, outside the
   * measurement, so that finished runs do not accumulate across iterations.
   */
  @State(Scope.Benchmark)
  public static class Store {
    @Param({"10000", "1000000"})
    int tasks;

    ComputeDag dag;
    LeaseStore store;
    volatile Current current;

    @Setup
    public void setUp() {
      List<DagSpec.Node> nodes = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        nodes.add(new DagSpec.Node("t" + i, 1, "", JsonNull.INSTANCE));
      }
      dag = ComputeDag.compile(new DagSpec("bench-" + tasks, nodes, List.of()));
    }

    @Setup(Level.Iteration)
    public void newStore() {
      store = CoordinatorStores.inMemory().leases();
      store.putDag(dag);
      current = fresh();
    }

    synchronized void replace(Current finished) {
      if (current == finished) {
        current = fresh();
      }
    }

    private Current fresh() {
      return new Current(store, store.createRun(dag.id(), NOW));
    }
  }

  /** A store and the run being worked through. */
  record Current(LeaseStore store, RunId run) {}

  /** Each benchmark thread is one node. */
  @State(Scope.Thread)
  public static class Node {
    private static final AtomicInteger COUNT = new AtomicInteger();
    final NodeId id = NodeId.of("kc_bench_" + COUNT.incrementAndGet());
  }

  /** The lock-based hand-off the cycle is compared with. */
  @State(Scope.Benchmark)
  public static class Baseline {
    final ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1024);

    @Setup
    public void setUp() {
      for (int i = 0; i < 512; i++) {
        queue.add(i);
      }
    }
  }

  @Benchmark
  public TaskCompletion inMemoryGrantComplete(Store s, Node n) {
    return cycle(s, n);
  }

  @Benchmark
  @Threads(2)
  public TaskCompletion inMemoryGrantCompleteTwoThreads(Store s, Node n) {
    return cycle(s, n);
  }

  @Benchmark
  public Integer baselineLockedHandOff(Baseline b) throws InterruptedException {
    Integer v = b.queue.take();
    b.queue.put(v);
    return v;
  }

  private static TaskCompletion cycle(Store s, Node n) {
    Current c = s.current;
    Optional<TaskGrant> grant;
    try {
      grant = c.store().next(c.run(), n.id, NOW, POLICY);
    } catch (KasComputeException finished) {
      s.replace(c);
      return null;
    }
    if (grant.isEmpty()) {
      s.replace(c);
      return null;
    }
    TaskGrant g = grant.get();
    return c.store().complete(c.run(), g.taskId(), n.id, OptionalLong.of(g.leaseEpoch()),
        Proofs.task(c.run(), g.taskId(), n.id, g.taskHash(), NOW), NOW);
  }
}
