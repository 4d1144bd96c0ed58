package io.kascompute.dag.jdbc;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.LruCache;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.DagSummary;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DAG catalogue of the JDBC lease store: DAG definitions in {@code kc_dag} and {@code
 * kc_dag_edge}, and runs' fixed facts in {@code kc_run}. DAGs and runs never change once stored,
 * so each store instance keeps the compiled DAGs and run facts it used last in two bounded LRU
 * caches.
 */
final class DagCatalogue {
  /** A run's facts that never change. */
  record RunInfo(ComputeDag dag, Instant created, int total) {}

  private static final String INSERT_DAG =
      "INSERT INTO kc_dag (dag_id, name, task_count, edge_count, definition) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (dag_id) DO NOTHING";
  private static final String INSERT_DAG_EDGES =
      "INSERT INTO kc_dag_edge (dag_id, from_index, to_index)"
          + " SELECT ?, f, t FROM unnest(?::integer[], ?::integer[]) AS e(f, t)";
  private static final String DAG_EXISTS = "SELECT 1 FROM kc_dag WHERE dag_id = ?";
  private static final String DAG_TASKS = "SELECT coalesce(sum(task_count), 0) FROM kc_dag";
  private static final String UNUSED_DAGS =
      "SELECT d.dag_id, d.task_count FROM kc_dag d"
          + " WHERE NOT EXISTS (SELECT 1 FROM kc_run r WHERE r.dag_id = d.dag_id)"
          + " ORDER BY d.dag_id COLLATE \"C\"";
  private static final String[] DELETE_DAGS = {
    "DELETE FROM kc_dag_edge WHERE dag_id = ANY(?)", "DELETE FROM kc_dag WHERE dag_id = ANY(?)"
  };
  private static final String SELECT_DAG = "SELECT definition FROM kc_dag WHERE dag_id = ?";
  private static final String LIST_DAGS =
      "SELECT dag_id, name, task_count, edge_count FROM kc_dag"
          + " WHERE dag_id COLLATE \"C\" > ? ORDER BY dag_id COLLATE \"C\" LIMIT ?";
  private static final String SELECT_RUN =
      "SELECT dag_id, created_ns, tasks_total FROM kc_run WHERE run_id = ?";

  private final Tx tx;
  private final LruCache<DagId, ComputeDag> dags;
  private final LruCache<RunId, RunInfo> runs;

  DagCatalogue(Tx tx, int cachedDags, int cachedRuns) {
    this.tx = tx;
    this.dags = new LruCache<>(cachedDags);
    this.runs = new LruCache<>(cachedRuns);
  }

  /**
   * Stores {@code dag} unless it is stored already; if the DAGs would then hold more than {@code
   * maxDagTasks} tasks, first deletes DAGs no kept run uses (in id order), or refuses with {@code
   * STORE_FULL}.
   */
  void put(ComputeDag dag, long maxDagTasks) {
    Objects.requireNonNull(dag, "dag");
    if (dags.get(dag.id()) != null) {
      return;
    }
    byte[] definition = DagDefinition.encode(dag);
    int[] from = new int[dag.edgeCount()];
    int[] to = new int[dag.edgeCount()];
    int e = 0;
    for (int i = 0; i < dag.taskCount(); i++) {
      for (int k = 0; k < dag.dependentCount(i); k++) {
        from[e] = i;
        to[e] = dag.dependent(i, k);
        e++;
      }
    }
    List<DagId> dropped = new ArrayList<>();
    tx.inTransaction("store DAG", c -> {
      dropped.clear();
      try (PreparedStatement ps = c.prepareStatement(TaskSql.LOCK_RUN_CREATION)) {
        ps.execute();
      }
      if (exists(c, dag.id())) {
        return null;
      }
      makeRoom(c, dag, maxDagTasks, dropped);
      try (PreparedStatement ps = c.prepareStatement(INSERT_DAG)) {
        ps.setString(1, dag.id().value());
        ps.setString(2, dag.name());
        ps.setInt(3, dag.taskCount());
        ps.setInt(4, dag.edgeCount());
        ps.setBytes(5, definition);
        if (ps.executeUpdate() == 0) {
          return null;
        }
      }
      if (from.length > 0) {
        try (PreparedStatement ps = c.prepareStatement(INSERT_DAG_EDGES)) {
          ps.setString(1, dag.id().value());
          ps.setArray(2, Sql.intArray(c, from));
          ps.setArray(3, Sql.intArray(c, to));
          ps.executeUpdate();
        }
      }
      return null;
    });
    dropped.forEach(dags::remove);
    dags.put(dag.id(), dag);
  }

  private static boolean exists(Connection c, DagId id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DAG_EXISTS)) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void makeRoom(Connection c, ComputeDag dag, long maxDagTasks,
      List<DagId> dropped) throws SQLException {
    long stored;
    try (PreparedStatement ps = c.prepareStatement(DAG_TASKS);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      stored = rs.getLong(1);
    }
    if (stored + dag.taskCount() <= maxDagTasks) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(UNUSED_DAGS);
        ResultSet rs = ps.executeQuery()) {
      while (stored + dag.taskCount() > maxDagTasks && rs.next()) {
        dropped.add(DagId.of(rs.getString(1)));
        stored -= rs.getLong(2);
      }
    }
    if (stored + dag.taskCount() > maxDagTasks) {
      throw new KasComputeException(ErrorCode.STORE_FULL, "the DAGs kept runs use hold "
          + stored + " tasks; a DAG of " + dag.taskCount() + " more does not fit the bound of "
          + maxDagTasks + "; delete finished runs first");
    }
    String[] ids = dropped.stream().map(DagId::value).toArray(String[]::new);
    for (String delete : DELETE_DAGS) {
      try (PreparedStatement ps = c.prepareStatement(delete)) {
        ps.setArray(1, c.createArrayOf("text", ids));
        ps.executeUpdate();
      }
    }
  }

  Optional<ComputeDag> dag(DagId id) {
    Objects.requireNonNull(id, "id");
    ComputeDag cached = dags.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    if (!Codec.fitsText(id.value())) {
      return Optional.empty(); // no stored DAG id holds NUL or a lone surrogate
    }
    byte[] definition = tx.inStatement("load DAG", c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT_DAG)) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
    if (definition == null) {
      return Optional.empty();
    }
    ComputeDag dag;
    try {
      dag = DagDefinition.decode(id, definition);
    } catch (IOException e) {
      throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE,
          "the stored definition of DAG " + id.value() + " is unreadable: " + e.getMessage(), e);
    }
    return Optional.of(dags.put(id, dag));
  }

  List<DagSummary> list(Optional<DagId> after, int limit) {
    Objects.requireNonNull(after, "after");
    if (limit <= 0) {
      return List.of();
    }
    String start = Sql.textBound(after.map(DagId::value).orElse(""));
    return tx.inStatement("list DAGs", c -> {
      try (PreparedStatement ps = c.prepareStatement(LIST_DAGS)) {
        ps.setString(1, start);
        ps.setInt(2, limit);
        List<DagSummary> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString(1);
            out.add(new DagSummary(DagId.of(id), Sha256Digest.fromHex(id), rs.getString(2),
                rs.getInt(3), rs.getInt(4)));
          }
        }
        return out;
      }
    });
  }

  /** Drops a deleted run from the cache. */
  void forget(RunId run) {
    runs.remove(run);
  }

  /** Remembers a run this store created. */
  void created(RunId run, RunInfo info) {
    runs.put(run, info);
  }

  /** The run's facts, if the run exists. */
  Optional<RunInfo> run(RunId run) {
    Objects.requireNonNull(run, "run");
    RunInfo cached = runs.get(run);
    if (cached != null) {
      return Optional.of(cached);
    }
    if (!Codec.fitsText(run.value())) {
      return Optional.empty(); // run ids the store makes are plain ASCII
    }
    Object[] row = tx.inStatement("load run", c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT_RUN)) {
        ps.setString(1, run.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new Object[] {rs.getString(1), rs.getLong(2), rs.getInt(3)} : null;
        }
      }
    });
    if (row == null) {
      return Optional.empty();
    }
    DagId dagId = DagId.of((String) row[0]);
    ComputeDag dag = dag(dagId).orElseThrow(() -> new KasComputeException(
        ErrorCode.STORE_UNAVAILABLE, "run " + run.value() + " refers to missing DAG " + dagId));
    return Optional.of(runs.put(run, new RunInfo(dag, Codec.instant((Long) row[1]), (Integer) row[2])));
  }

  /** The run's facts, or {@code UNKNOWN_RUN}. */
  RunInfo runOrRefuse(RunId run) {
    return run(run).orElseThrow(
        () -> new KasComputeException(ErrorCode.UNKNOWN_RUN, "no run has id " + run.value()));
  }
}
