package io.kascompute.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.jdbc.JdbcLeaseStore;
import io.kascompute.dag.jdbc.JdbcSchema;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.dag.lease.TaskGrant;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scale benchmark of the PostgreSQL lease store: grant + complete cycles per second against an
 * embedded PostgreSQL with one and with two store instances (each with its own HikariCP pool and
 * its own node threads), for single grants and for batches of grants.
 *
 * <p>Run: {@code java -cp kascompute-bench/target/benchmarks.jar io.kascompute.bench.JdbcLeaseBench
 * [seconds] [threadsPerInstance] [synchronous_commit on|off]}.
 */
public final class JdbcLeaseBench {
  private static final LeasePolicy POLICY = LeasePolicy.TASK_DEFAULT;
  private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

  private JdbcLeaseBench() {}

  /** Runs every configuration and prints cycles per second. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String syncCommit = args.length > 2 ? args[2] : "on";
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder().setServerConfig("synchronous_commit", syncCommit).start()) {
      System.out.printf(
          "JdbcLeaseBench: %d s per configuration, %d threads per instance, synchronous_commit=%s%n",
          seconds, threads, syncCommit);
      System.out.printf(
          "baseline in-memory store, %d threads: %.0f cycles/s%n",
          threads, inMemory(threads, seconds));
      int db = 0;
      for (int batch : new int[] {1, 8}) {
        for (int instances : new int[] {1, 2}) {
          double rate = run(pg, "bench" + db++, instances, threads, batch, seconds);
          System.out.printf(
              "instances=%d threads/instance=%d batch=%d: %.0f cycles/s%n",
              instances, threads, batch, rate);
        }
      }
    }
  }

  private static double run(
      EmbeddedPostgres pg, String dbName, int instances, int threads, int batch, int seconds)
      throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + dbName);
    }
    String url = pg.getJdbcUrl("postgres", dbName);
    List<HikariDataSource> pools = new ArrayList<>();
    List<JdbcLeaseStore> stores = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername("postgres");
      config.setMaximumPoolSize(threads);
      HikariDataSource ds = new HikariDataSource(config);
      pools.add(ds);
      stores.add(JdbcLeaseStore.create(ds));
    }
    try {
      JdbcSchema.install(pools.get(0));
      ComputeDag dag = dag(dbName, 100_000);
      stores.get(0).putDag(dag);
      RunId run = stores.get(0).createRun(dag.id(), NOW);
      for (JdbcLeaseStore store : stores) {
        store.status(run); // loads the run and its DAG into each instance before measuring
      }
      AtomicLong cycles = new AtomicLong();
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        JdbcLeaseStore store = stores.get(i);
        for (int t = 0; t < threads; t++) {
          NodeId node = NodeId.of("n" + i + "-" + t);
          Thread w =
              new Thread(
                  () -> {
                    while (!stop.get()) {
                      List<TaskGrant> grants =
                          batch == 1
                              ? store.next(run, node, NOW, POLICY).stream().toList()
                              : store.nextBatch(run, node, NOW, POLICY, batch);
                      for (TaskGrant g : grants) {
                        store.complete(
                            run,
                            g.taskId(),
                            node,
                            OptionalLong.of(g.leaseEpoch()),
                            Proofs.task(run, g.taskId(), node, g.taskHash(), NOW),
                            NOW);
                        if (measuring.get()) {
                          cycles.incrementAndGet();
                        }
                      }
                    }
                  });
          workers.add(w);
          w.start();
        }
      }
      Thread.sleep(2_000);
      measuring.set(true);
      long start = System.nanoTime();
      Thread.sleep(seconds * 1_000L);
      measuring.set(false);
      long elapsed = System.nanoTime() - start;
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      return cycles.get() * 1e9 / elapsed;
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  /**
   * The same loop on the in-memory store: the same-run baseline. It is fast enough to finish a
   * run within the measurement, so a finished run is replaced by a fresh run of the same DAG.
   */
  private static double inMemory(int threads, int seconds) throws InterruptedException {
    LeaseStore store = CoordinatorStores.inMemory().leases();
    ComputeDag dag = dag("baseline", 100_000);
    store.putDag(dag);
    AtomicReference<RunId> current = new AtomicReference<>(store.createRun(dag.id(), NOW));
    AtomicLong cycles = new AtomicLong();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      NodeId node = NodeId.of("m" + t);
      Thread w =
          new Thread(
              () -> {
                while (!stop.get()) {
                  RunId run = current.get();
                  Optional<TaskGrant> g;
                  try {
                    g = store.next(run, node, NOW, POLICY);
                  } catch (KasComputeException e) {
                    if (e.code() != ErrorCode.RUN_FINISHED) {
                      throw e;
                    }
                    synchronized (current) {
                      if (current.get().equals(run)) {
                        current.set(store.createRun(dag.id(), NOW));
                      }
                    }
                    continue;
                  }
                  if (g.isPresent()) {
                    store.complete(
                        run,
                        g.get().taskId(),
                        node,
                        OptionalLong.of(g.get().leaseEpoch()),
                        Proofs.task(run, g.get().taskId(), node, g.get().taskHash(), NOW),
                        NOW);
                    if (measuring.get()) {
                      cycles.incrementAndGet();
                    }
                  }
                }
              });
      workers.add(w);
      w.start();
    }
    Thread.sleep(500);
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(Math.min(seconds, 2) * 1_000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    return cycles.get() * 1e9 / elapsed;
  }

  /** A wide DAG: task {@code i} depends on task {@code i - 1000}, so completions unlock work. */
  private static ComputeDag dag(String name, int n) {
    ComputeDag.Builder b = ComputeDag.builder(name);
    for (int i = 0; i < n; i++) {
      b.task(String.format("t%08d", i), 1);
      if (i >= 1000) {
        b.edge(String.format("t%08d", i - 1000), String.format("t%08d", i));
      }
    }
    return b.build();
  }
}
