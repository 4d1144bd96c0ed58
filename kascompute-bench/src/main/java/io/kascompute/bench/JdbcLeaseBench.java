package io.kascompute.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.jdbc.JdbcLeaseStore;
import io.kascompute.dag.jdbc.JdbcSchema;
import io.kascompute.dag.jdbc.JdbcStores;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.store.CoordinatorStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Scale benchmark of the PostgreSQL stores: grant + complete cycles per second against an
 * embedded PostgreSQL with one and with two store sets (each with its own HikariCP pool and its
 * own node threads, as two coordinator processes), for single grants and for batches of grants.
 * Each cycle is what a coordinator does for one task: the grant, the node directory's pinned-key
 * lookup of the proof's signer, and the completion, which records the proof in the proof record;
 * each PostgreSQL configuration runs with the pinned-key cache off ({@code keyCache=0}) and on. The in-memory
 * set runs the same loop first, as the same-run baseline. After each configuration the database's
 * own time per statement is printed from {@code pg_stat_statements}. The baseline runs again at
 * the end, since the load of a shared machine can change during the run.
 *
 * <p>Mode {@code ledger} measures instead what the verifiable ledger adds to a completion: one
 * coordinator, single grants and batches of 8, completing unverified proofs (which get no ledger
 * entry) and verified ones (whose completion also appends the entry) in alternating rounds.
 *
 * <p>Run: {@code java -cp kascompute-bench/target/benchmarks.jar io.kascompute.bench.JdbcLeaseBench
 * [seconds] [threadsPerInstance] [synchronous_commit on|off] [scale|ledger]}.
 */
public final class JdbcLeaseBench {
  private static final LeasePolicy POLICY = LeasePolicy.TASK_DEFAULT;
  private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
  private static final NodePresence PRESENCE =
      new NodePresence(List.of("node"), Optional.empty(), "bench", Optional.empty());

  private JdbcLeaseBench() {}

  /** Runs every configuration and prints cycles per second. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String syncCommit = args.length > 2 ? args[2] : "on";
    String mode = args.length > 3 ? args[3] : "scale";
    if (!mode.equals("scale") && !mode.equals("ledger")) {
      throw new IllegalArgumentException("mode is scale or ledger, not " + mode);
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("synchronous_commit", syncCommit)
        .setServerConfig("shared_preload_libraries", "pg_stat_statements")
        .setServerConfig("pg_stat_statements.track", "all")
        .setServerConfig("pg_stat_statements.track_planning", "on")
        .start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      }
      System.out.printf(
          "JdbcLeaseBench: %d s per configuration, %d threads per instance, synchronous_commit=%s,"
              + " mode=%s%n", seconds, threads, syncCommit, mode);
      System.out.printf("baseline in-memory set, %d threads: %.0f cycles/s%n",
          threads, inMemory(threads, seconds));
      int db = 0;
      if (mode.equals("ledger")) {
        // The ledger's share of a completion: the same loop with unverified proofs (no ledger
        // entry) and verified ones (each completion also appends its entry), alternating.
        for (int batch : new int[] {1, 8}) {
          for (int round = 1; round <= 2; round++) {
            for (boolean verified : new boolean[] {false, true}) {
              Result r = run(pg, "bench" + db++, 1, threads, batch, JdbcStores.DEFAULT_CACHED_KEYS,
                  verified, seconds);
              System.out.printf("instances=1 threads/instance=%d batch=%d ledger=%s round=%d:"
                  + " %.0f cycles/s%n", threads, batch, verified ? "on" : "off", round, r.rate());
              System.out.print(r.statements());
            }
          }
        }
      } else {
        for (int batch : new int[] {1, 8}) {
          for (int instances : new int[] {1, 2}) {
            for (int keys : new int[] {0, JdbcStores.DEFAULT_CACHED_KEYS}) {
              Result r = run(pg, "bench" + db++, instances, threads, batch, keys, false, seconds);
              System.out.printf("instances=%d threads/instance=%d batch=%d keyCache=%d: %.0f"
                  + " cycles/s%n", instances, threads, batch, keys, r.rate());
              System.out.print(r.statements());
            }
          }
        }
      }
      // Again at the end: on a shared machine the load can change during the run.
      System.out.printf("baseline in-memory set again, %d threads: %.0f cycles/s%n",
          threads, inMemory(threads, seconds));
    }
  }

  private record Result(double rate, String statements) {}

  private static Result run(
      EmbeddedPostgres pg, String dbName, int instances, int threads, int batch, int keys,
      boolean verified, int seconds) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + dbName);
    }
    String url = pg.getJdbcUrl("postgres", dbName);
    List<HikariDataSource> pools = new ArrayList<>();
    List<CoordinatorStores> sets = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername("postgres");
      config.setMaximumPoolSize(threads + 1); // + the key cache's listener
      HikariDataSource ds = new HikariDataSource(config);
      pools.add(ds);
      sets.add(JdbcStores.builder(ds).keyCache(keys).closing(ds).build());
    }
    try {
      JdbcSchema.install(pools.get(0));
      try (Connection c = pools.get(0).getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      }
      ComputeDag dag = dag(dbName, 100_000);
      sets.get(0).leases().putDag(dag);
      RunId run = sets.get(0).leases().createRun(dag.id(), NOW);
      for (CoordinatorStores set : sets) {
        set.leases().status(run); // loads the run and its DAG into each set before measuring
      }
      AtomicLong cycles = new AtomicLong();
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        CoordinatorStores set = sets.get(i);
        JdbcLeaseStore store = (JdbcLeaseStore) set.leases();
        for (int t = 0; t < threads; t++) {
          NodeId node = NodeId.of("n" + i + "-" + t);
          PublicKeyBytes nodeKey = key(i * 64 + t);
          set.directory().heartbeat(node, nodeKey, true, KeyEvidence.SIGNED_HEARTBEAT,
              PRESENCE, NOW);
          Thread w = new Thread(() -> {
            while (!stop.get()) {
              List<TaskGrant> grants = batch == 1
                  ? store.next(run, node, NOW, POLICY).stream().toList()
                  : store.nextBatch(run, node, NOW, POLICY, batch);
              for (TaskGrant g : grants) {
                set.directory().pinnedKey(node).orElseThrow();
                store.complete(run, g.taskId(), node, OptionalLong.of(g.leaseEpoch()),
                    verified ? verifiedProof(run, g, node, nodeKey) : proof(run, g, node), NOW);
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
      resetStatements(pools.get(0));
      measuring.set(true);
      long start = System.nanoTime();
      String waits = sampleWaits(url, dbName, seconds);
      measuring.set(false);
      long elapsed = System.nanoTime() - start;
      long measured = cycles.get();
      String statements = statements(pools.get(0), dbName, measured) + waits;
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      return new Result(measured * 1e9 / elapsed, statements);
    } finally {
      for (CoordinatorStores set : sets) {
        set.close();
      }
    }
  }

  /**
   * Samples what the database's backends are doing every 5 ms for {@code seconds}: the share of
   * samples per wait event (CPU means running), to show what limits the throughput.
   */
  private static String sampleWaits(String url, String dbName, int seconds) throws Exception {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    int samples = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
        PreparedStatement ps = c.prepareStatement(
            "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity"
                + " WHERE datname = ? AND state = 'active' AND pid <> pg_backend_pid()")) {
      ps.setString(1, dbName);
      while (System.nanoTime() < end) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.merge(rs.getString(1), 1, Integer::sum);
          }
        }
        samples++;
        Thread.sleep(5);
      }
    }
    StringBuilder out = new StringBuilder("    active backends per sample:");
    for (var e : counts.entrySet()) {
      out.append(String.format(" %s %.2f", e.getKey(), e.getValue() / (double) samples));
    }
    return out.append(System.lineSeparator()).toString();
  }

  private static void resetStatements(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  /** The database's own time per statement kind, and in all per measured cycle. */
  private static String statements(HikariDataSource ds, String dbName, long cycles)
      throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT calls, total_exec_time + total_plan_time, mean_exec_time, mean_plan_time,"
                + " regexp_replace(query, '\\s+', ' ', 'g')"
                + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
                + " WHERE datname = ?) ORDER BY total_exec_time DESC")) {
      ps.setString(1, dbName);
      double total = 0;
      int shown = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          total += rs.getDouble(2);
          if (shown++ < 7) {
            out.append(String.format("    pg: %8d calls, %7.3f ms execution + %6.3f ms planning"
                + " mean  %s%n", rs.getLong(1), rs.getDouble(3), rs.getDouble(4),
                label(rs.getString(5))));
          }
        }
      }
      out.append(String.format("    pg: %.3f ms of planning and execution per cycle%n",
          cycles == 0 ? 0 : total / cycles));
    }
    return out.toString();
  }

  /** A short name for a statement: the store operation it belongs to. */
  private static String label(String sql) {
    if (sql.contains("kc_proof_head") && sql.contains("kc_task")) {
      return "complete task + record proof (one statement)";
    }
    if (sql.contains("FOR UPDATE SKIP LOCKED") && sql.contains("kc_task")) {
      return "grant (reclaim + grant, one statement)";
    }
    if (sql.contains("FROM kc_node WHERE node_id")) {
      return "directory lookup";
    }
    if (sql.contains("kc_ledger_head") && sql.contains("FOR UPDATE")) {
      return "ledger: lock the head, read the compact range";
    }
    if (sql.contains("INSERT INTO kc_ledger_subtree")) {
      return "ledger: append leaf + subtree hashes + head (one statement)";
    }
    return sql.length() > 70 ? sql.substring(0, 70) + "…" : sql;
  }

  /**
   * The same loop on the in-memory set: the same-run baseline. It is fast enough to finish a run
   * within the measurement, so a finished run is replaced by a fresh run of the same DAG.
   */
  private static double inMemory(int threads, int seconds) throws InterruptedException {
    CoordinatorStores set = CoordinatorStores.inMemory();
    LeaseStore store = set.leases();
    ComputeDag dag = dag("baseline", 200_000);
    store.putDag(dag);
    AtomicReference<RunId> current = new AtomicReference<>(store.createRun(dag.id(), NOW));
    AtomicLong cycles = new AtomicLong();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      NodeId node = NodeId.of("m" + t);
      set.directory().heartbeat(node, key(t), true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, NOW);
      Thread w = new Thread(() -> {
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
            set.directory().pinnedKey(node).orElseThrow();
            store.complete(run, g.get().taskId(), node, OptionalLong.of(g.get().leaseEpoch()),
                proof(run, g.get(), node), NOW);
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

  /** A task proof whose identity is distinct per run and task, as signed payloads are. */
  private static io.kascompute.dag.ledger.AcceptedProof proof(RunId run, TaskGrant g, NodeId node) {
    Sha256Digest identity = Sha256Digest.hash(
        (run.value() + g.taskHash().hex()).getBytes(StandardCharsets.UTF_8));
    return Proofs.task(run, g.taskId(), node, identity, NOW);
  }

  /** As {@link #proof}, verified against the node's key: its completion appends a ledger entry. */
  private static io.kascompute.dag.ledger.AcceptedProof verifiedProof(
      RunId run, TaskGrant g, NodeId node, PublicKeyBytes key) {
    Sha256Digest identity = Sha256Digest.hash(
        (run.value() + g.taskHash().hex()).getBytes(StandardCharsets.UTF_8));
    return Proofs.verifiedTask(run, g.taskId(), node, identity, key, NOW);
  }

  private static PublicKeyBytes key(int seed) {
    byte[] b = new byte[32];
    b[0] = (byte) seed;
    b[1] = (byte) (seed >> 8);
    return PublicKeyBytes.of(b);
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
