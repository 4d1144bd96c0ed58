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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  void put(ComputeDag dag) {
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
    tx.inTransaction("store DAG", c -> {
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
    dags.put(dag.id(), dag);
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
