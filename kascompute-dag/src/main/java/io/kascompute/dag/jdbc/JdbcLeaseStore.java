package io.kascompute.dag.jdbc;

import static io.kascompute.dag.jdbc.PostgresDialect.COMPLETED;
import static io.kascompute.dag.jdbc.PostgresDialect.FAILED;
import static io.kascompute.dag.jdbc.PostgresDialect.PENDING;
import static io.kascompute.dag.jdbc.PostgresDialect.READY;
import static io.kascompute.dag.jdbc.PostgresDialect.RUNNING;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.core.wire.RunState;
import io.kascompute.dag.lease.DagSummary;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * A {@link LeaseStore} in PostgreSQL (13+) through a host {@link DataSource}, so that several
 * coordinator processes can share runs and survive restarts.
 *
 * <p>The data source is usually a HikariCP pool; the store borrows one connection per operation
 * and runs each operation in one transaction; grant, complete and renew are one statement each,
 * run in autocommit mode (one round trip). Install the schema first with {@link
 * JdbcSchema#install(DataSource)}. Grants use {@code FOR UPDATE SKIP LOCKED}, so coordinators do
 * not wait for each other's ready tasks; renew, complete and fail are conditional on the lease
 * epoch. Lease expiry is decided with the {@code now} each caller passes in; when coordinators'
 * clocks may disagree, set a {@linkplain Builder#reclaimGrace reclaim grace} at least as large as
 * the worst skew (5 s is a good default for several coordinators).
 */
public final class JdbcLeaseStore implements LeaseStore {
  private static final int MAX_TRIES = 5;

  private final DataSource dataSource;
  private final long graceNanos;
  private final ConcurrentHashMap<DagId, ComputeDag> dags = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RunId, RunInfo> runs = new ConcurrentHashMap<>();

  private JdbcLeaseStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.graceNanos = builder.reclaimGrace.toNanos();
  }

  /** A store on {@code dataSource} with no reclaim grace (one coordinator, or synced clocks). */
  public static JdbcLeaseStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a store on {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Configures a {@link JdbcLeaseStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private Duration reclaimGrace = Duration.ZERO;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * How long after its expiry an expired lease is reclaimed by {@code next} (default zero): a
     * lease is reclaimed only when {@code now >= expiry + grace}. With a grace at least as large
     * as the largest clock difference between coordinators, a lease that its owner's coordinator
     * still considers live is never granted to another node.
     */
    public Builder reclaimGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("reclaimGrace must not be negative: " + grace);
      }
      this.reclaimGrace = grace;
      return this;
    }

    /** Builds the store. */
    public JdbcLeaseStore build() {
      return new JdbcLeaseStore(this);
    }
  }

  @Override
  public void putDag(ComputeDag dag) {
    Objects.requireNonNull(dag, "dag");
    if (dags.containsKey(dag.id())) {
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
    inTransaction(
        "putDag",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(PostgresDialect.INSERT_DAG)) {
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
            try (PreparedStatement ps = c.prepareStatement(PostgresDialect.INSERT_DAG_EDGES)) {
              ps.setString(1, dag.id().value());
              ps.setArray(2, intArray(c, from));
              ps.setArray(3, intArray(c, to));
              ps.executeUpdate();
            }
          }
          return null;
        });
    dags.putIfAbsent(dag.id(), dag);
  }

  @Override
  public Optional<ComputeDag> dag(DagId id) {
    Objects.requireNonNull(id, "id");
    ComputeDag cached = dags.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    byte[] definition =
        inTransaction(
            "dag",
            c -> {
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.SELECT_DAG)) {
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
    } catch (java.io.IOException e) {
      throw new KasComputeException(
          ErrorCode.STORE_UNAVAILABLE,
          "the stored definition of DAG " + id.value() + " is unreadable: " + e.getMessage(),
          e);
    }
    ComputeDag prior = dags.putIfAbsent(id, dag);
    return Optional.of(prior == null ? dag : prior);
  }

  @Override
  public RunId createRun(DagId dagId, Instant now) {
    Objects.requireNonNull(now, "now");
    ComputeDag dag =
        dag(dagId)
            .orElseThrow(
                () ->
                    new KasComputeException(
                        ErrorCode.UNKNOWN_DAG, "no DAG is stored with id " + dagId.value()));
    long createdNs = nanos(now);
    int n = dag.taskCount();
    int[] indexes = new int[n];
    String[] ids = new String[n];
    int[] deps = new int[n];
    int roots = 0;
    for (int i = 0; i < n; i++) {
      indexes[i] = i;
      ids[i] = dag.taskId(i).value();
      deps[i] = dag.inDegree(i);
      if (deps[i] == 0) {
        roots++;
      }
    }
    int rootCount = roots;
    RunId runId =
        inTransaction(
            "createRun",
            c -> {
              long seq;
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.NEXT_RUN_SEQ);
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
              }
              RunId id = RunId.of("run-" + dagId.value() + "-" + seq);
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.INSERT_RUN)) {
                ps.setString(1, id.value());
                ps.setLong(2, seq);
                ps.setString(3, dagId.value());
                ps.setLong(4, createdNs);
                ps.setInt(5, n);
                ps.executeUpdate();
              }
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.INSERT_COUNTS)) {
                ps.setString(1, id.value());
                ps.setInt(2, n - rootCount);
                ps.setInt(3, rootCount);
                ps.setInt(4, PostgresDialect.COUNT_SHARDS - 1);
                ps.executeUpdate();
              }
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.INSERT_TASKS)) {
                ps.setString(1, id.value());
                ps.setArray(2, intArray(c, indexes));
                ps.setArray(3, c.createArrayOf("text", ids));
                ps.setArray(4, intArray(c, deps));
                ps.executeUpdate();
              }
              return id;
            });
    runs.put(runId, new RunInfo(dag, Instant.ofEpochSecond(0, createdNs), n));
    return runId;
  }

  @Override
  public Optional<TaskGrant> next(RunId run, NodeId node, Instant now, LeasePolicy policy) {
    List<TaskGrant> grants = nextBatch(run, node, now, policy, 1);
    return grants.isEmpty() ? Optional.empty() : Optional.of(grants.get(0));
  }

  /**
   * Grants up to {@code max} heads of the run's ready queue to {@code node} in one transaction,
   * after reclaiming expired leases; the same as calling {@link #next} up to {@code max} times
   * until it returns empty, but in one statement.
   *
   * @return the grants in queue order; empty if no task is ready
   */
  public List<TaskGrant> nextBatch(
      RunId run, NodeId node, Instant now, LeasePolicy policy, int max) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(policy, "policy");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    RunInfo info = run(run);
    long nowNs = nanos(now);
    Instant expiresAt = now.plus(policy.leaseDuration());
    long expiresNs = nanos(expiresAt);
    long reclaimBefore = nowNs - graceNanos;
    long[][] claimed =
        inStatement(
            "next",
            c -> {
              List<long[]> rows = new ArrayList<>();
              boolean changed = false;
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.GRANT)) {
                ps.setString(1, run.value());
                ps.setInt(2, max);
                ps.setLong(3, reclaimBefore);
                ps.setInt(4, policy.maxAttempts());
                ps.setString(5, node.value());
                ps.setLong(6, expiresNs);
                ps.setInt(7, shard());
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    changed = true;
                    if (rs.getInt(2) == RUNNING) {
                      rows.add(
                          new long[] {
                            rs.getInt(1), rs.getLong(3), rs.getInt(4), rs.getInt(5),
                            rs.getLong(6), rs.getLong(7)
                          });
                    }
                  }
                }
              }
              if (!changed) {
                // Nothing was reclaimed or granted, so the run's state is the one it had before
                // this call: refuse if it had finished (a reclaim that finishes it returns empty).
                Counts counts = readCounts(c, run, info.total);
                if (counts.finished(info.total)) {
                  throw new KasComputeException(
                      ErrorCode.RUN_FINISHED,
                      "run " + run.value() + " has "
                          + counts.state(info.total).name().toLowerCase(java.util.Locale.ROOT));
                }
              }
              long[][] result = rows.toArray(new long[0][]);
              Arrays.sort(
                  result,
                  (a, b) ->
                      a[3] != b[3]
                          ? Long.compare(a[3], b[3])
                          : a[4] != b[4] ? Long.compare(a[4], b[4]) : Long.compare(a[5], b[5]));
              return result;
            });
    ComputeDag dag = info.dag;
    List<TaskGrant> grants = new ArrayList<>(claimed.length);
    for (long[] row : claimed) {
      int i = (int) row[0];
      grants.add(
          new TaskGrant(
              run,
              dag.id(),
              dag.taskId(i),
              dag.taskHash(i),
              dag.workUnits(i),
              dag.taskType(i),
              expiresAt,
              row[1],
              (int) row[2]));
    }
    return grants;
  }

  @Override
  public TaskRenewal renew(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(policy, "policy");
    RunInfo info = run(run);
    int index = index(info, run, task);
    long nowNs = nanos(now);
    Instant expiresAt = now.plus(policy.leaseDuration());
    long expiresNs = nanos(expiresAt);
    OptionalLong renewed =
        inStatement("renew", c -> renewIfHeld(c, run, index, node, epoch, nowNs, expiresNs));
    if (renewed.isPresent()) {
      return new TaskRenewal(run, task, expiresAt, renewed.getAsLong());
    }
    // Not renewable as asked: decide why, with the row locked (or renew if it changed meanwhile).
    return inTransaction(
        "renew",
        c -> {
          OptionalLong again = renewIfHeld(c, run, index, node, epoch, nowNs, expiresNs);
          if (again.isPresent()) {
            return new TaskRenewal(run, task, expiresAt, again.getAsLong());
          }
          TaskRow row = lockTask(c, run, index);
          checkClaim(row, run, task, node, epoch);
          if (row.state == RUNNING || (row.state == READY && row.claimed)) {
            throw new KasComputeException(
                ErrorCode.LEASE_EXPIRED,
                "the lease of task " + task.value() + " in run " + run.value() + " has expired");
          }
          throw notRunningOrCompleted(row, run, task);
        });
  }

  private static OptionalLong renewIfHeld(
      Connection c,
      RunId run,
      int index,
      NodeId node,
      OptionalLong epoch,
      long nowNs,
      long expiresNs)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresDialect.RENEW)) {
      ps.setLong(1, expiresNs);
      ps.setString(2, run.value());
      ps.setInt(3, index);
      ps.setString(4, node.value());
      ps.setLong(5, nowNs);
      setEpoch(ps, 6, epoch);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  private static void setEpoch(PreparedStatement ps, int parameter, OptionalLong epoch)
      throws SQLException {
    if (epoch.isPresent()) {
      ps.setLong(parameter, epoch.getAsLong());
    } else {
      ps.setNull(parameter, Types.BIGINT);
    }
  }

  @Override
  public TaskCompletion complete(
      RunId run,
      TaskId task,
      NodeId node,
      OptionalLong epoch,
      AcceptedProof proof,
      Instant now) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Sha256Digest proofHash = Objects.requireNonNull(proof, "proof").proofHash();
    Objects.requireNonNull(now, "now");
    RunInfo info = run(run);
    int index = index(info, run, task);
    ComputeDag dag = info.dag;
    int dependents = dag.dependentCount(index);
    int[] targets = new int[dependents];
    for (int k = 0; k < dependents; k++) {
      targets[k] = dag.dependent(index, k);
    }
    Optional<int[]> done =
        inStatement(
            "complete", c -> completeIfHeld(c, run, index, node, epoch, targets, proofHash));
    if (done.isPresent()) {
      return new TaskCompletion(run, task, taskIds(dag, done.get()), Optional.empty(), false);
    }
    // Not completable as asked: a repeat, or an error to report, decided with the row locked.
    return inTransaction(
        "complete",
        c -> {
          TaskRow row = lockTask(c, run, index);
          checkClaim(row, run, task, node, epoch);
          if (row.state == COMPLETED) {
            if (Arrays.equals(row.proofHash, proofHash.toByteArray())) {
              return new TaskCompletion(run, task, taskIds(dag, row.unlocked), Optional.empty(), true);
            }
            throw new KasComputeException(
                ErrorCode.ALREADY_COMPLETED,
                "task " + task.value() + " in run " + run.value()
                    + " is already completed with another proof");
          }
          if (!(row.state == RUNNING || (row.state == READY && row.claimed))) {
            throw notRunningOrCompleted(row, run, task);
          }
          // The claim became valid after the first attempt looked (the row is locked now).
          int[] unlocked =
              completeIfHeld(c, run, index, node, OptionalLong.of(row.epoch), targets, proofHash)
                  .orElseThrow(() -> stale(run, task));
          return new TaskCompletion(run, task, taskIds(dag, unlocked), Optional.empty(), false);
        });
  }

  /** Runs {@link PostgresDialect#COMPLETE}: the unlocked indexes, or empty if nothing changed. */
  private static Optional<int[]> completeIfHeld(
      Connection c,
      RunId run,
      int index,
      NodeId node,
      OptionalLong epoch,
      int[] targets,
      Sha256Digest proofHash)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresDialect.COMPLETE)) {
      ps.setString(1, run.value());
      ps.setInt(2, index);
      ps.setString(3, node.value());
      setEpoch(ps, 4, epoch);
      ps.setArray(5, intArray(c, targets));
      ps.setBytes(6, proofHash.toByteArray());
      ps.setInt(7, shard());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(ints(rs.getArray(1))) : Optional.empty();
      }
    }
  }

  @Override
  public TaskFailure fail(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(policy, "policy");
    RunInfo info = run(run);
    int index = index(info, run, task);
    return inTransaction(
        "fail",
        c -> {
          TaskRow row = lockTask(c, run, index);
          checkClaim(row, run, task, node, epoch);
          if (!(row.state == RUNNING || (row.state == READY && row.claimed))) {
            throw notRunningOrCompleted(row, run, task);
          }
          boolean failed = row.attempts >= policy.maxAttempts();
          Delta delta = new Delta();
          if (row.state == RUNNING) {
            delta.running--;
            if (failed) {
              delta.failed++;
            } else {
              delta.ready++;
            }
          } else if (failed) {
            delta.ready--;
            delta.failed++;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  failed ? PostgresDialect.FAIL_FINAL : PostgresDialect.FAIL_REQUEUE)) {
            ps.setString(1, run.value());
            ps.setInt(2, index);
            ps.setLong(3, row.epoch);
            if (ps.executeUpdate() != 1) {
              throw stale(run, task);
            }
          }
          delta.apply(c, run);
          return new TaskFailure(run, task, failed, row.attempts);
        });
  }

  @Override
  public Optional<RunStatus> status(RunId run) {
    Objects.requireNonNull(run, "run");
    Optional<RunInfo> found = findRun(run);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    RunInfo info = found.get();
    Counts counts = inTransaction("status", c -> readCounts(c, run, info.total));
    ComputeDag dag = info.dag;
    return Optional.of(
        new RunStatus(
            run,
            dag.id(),
            dag.rootHash(),
            dag.name(),
            info.created,
            info.total,
            counts.pending,
            counts.ready,
            counts.running,
            counts.completed,
            counts.failed,
            counts.state(info.total)));
  }

  @Override
  public boolean deleteRun(RunId run) {
    Objects.requireNonNull(run, "run");
    Optional<RunInfo> found = findRun(run);
    if (found.isEmpty()) {
      return false;
    }
    RunInfo info = found.get();
    return inTransaction("delete run", c -> {
      try (PreparedStatement lock = c.prepareStatement(
          "SELECT 1 FROM kc_run WHERE run_id = ? FOR UPDATE")) {
        lock.setString(1, run.value());
        try (ResultSet rs = lock.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
        }
      }
      if (!readCounts(c, run, info.total).finished(info.total)) {
        throw new KasComputeException(ErrorCode.RUN_NOT_FINISHED,
            "run " + run + " is still running; only finished runs are deleted");
      }
      for (String table : new String[] {"kc_task", "kc_run_count", "kc_run"}) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
          ps.setString(1, run.value());
          ps.executeUpdate();
        }
      }
      runs.remove(run);
      return true;
    });
  }

  // --- checks -----------------------------------------------------------------------------

  /** The checks shared by renew, complete and fail, in the contract's order. */
  private static void checkClaim(
      TaskRow row, RunId run, TaskId task, NodeId node, OptionalLong epoch) {
    if (row.epoch == 0) {
      throw new KasComputeException(
          ErrorCode.TASK_NOT_RUNNING,
          "task " + task.value() + " in run " + run.value() + " has never been granted");
    }
    if (epoch.isPresent() && epoch.getAsLong() != row.epoch) {
      throw new KasComputeException(
          ErrorCode.STALE_LEASE,
          "lease epoch "
              + epoch.getAsLong()
              + " of task "
              + task.value()
              + " is stale; the current epoch is "
              + row.epoch);
    }
    if (!node.value().equals(row.owner)) {
      throw new KasComputeException(
          ErrorCode.NOT_OWNER,
          "task " + task.value() + " in run " + run.value() + " is leased to another node");
    }
  }

  @Override
  public List<TaskLeaseState> tasks(RunId run, Optional<TaskId> after, int limit) {
    throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, "not yet on PostgreSQL");
  }

  @Override
  public List<DagSummary> dags(Optional<DagId> after, int limit) {
    throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, "not yet on PostgreSQL");
  }

  private static KasComputeException notRunningOrCompleted(TaskRow row, RunId run, TaskId task) {
    if (row.state == COMPLETED) {
      return new KasComputeException(
          ErrorCode.ALREADY_COMPLETED,
          "task " + task.value() + " in run " + run.value() + " is already completed");
    }
    String what =
        switch (row.state) {
          case PENDING -> "pending";
          case FAILED -> "failed";
          default -> "ready and no longer leased to this node";
        };
    return new KasComputeException(
        ErrorCode.TASK_NOT_RUNNING,
        "task " + task.value() + " in run " + run.value() + " is not running: it is " + what);
  }

  private static KasComputeException stale(RunId run, TaskId task) {
    return new KasComputeException(
        ErrorCode.STALE_LEASE,
        "task " + task.value() + " in run " + run.value() + " was granted again meanwhile");
  }

  // --- rows and lookups ---------------------------------------------------------------------

  private static TaskRow lockTask(Connection c, RunId run, int index) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresDialect.LOCK_TASK)) {
      ps.setString(1, run.value());
      ps.setInt(2, index);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("task row " + index + " of run " + run.value() + " is missing");
        }
        int[] unlockedIndexes = ints(rs.getArray(8));
        return new TaskRow(
            rs.getInt(1),
            rs.getLong(2),
            rs.getString(3),
            rs.getBoolean(4),
            rs.getInt(6),
            rs.getBytes(7),
            unlockedIndexes);
      }
    }
  }

  private static Counts readCounts(Connection c, RunId run, int total) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresDialect.SELECT_COUNTS)) {
      ps.setString(1, run.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Counts counts =
            new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5));
        if (counts.pending + counts.ready + counts.running + counts.completed + counts.failed
            != total) {
          throw new SQLException("task counters of run " + run.value() + " are inconsistent");
        }
        return counts;
      }
    }
  }

  private RunInfo run(RunId run) {
    Objects.requireNonNull(run, "run");
    return findRun(run)
        .orElseThrow(
            () -> new KasComputeException(ErrorCode.UNKNOWN_RUN, "no run " + run.value()));
  }

  private Optional<RunInfo> findRun(RunId run) {
    RunInfo cached = runs.get(run);
    if (cached != null) {
      return Optional.of(cached);
    }
    Object[] row =
        inTransaction(
            "run lookup",
            c -> {
              try (PreparedStatement ps = c.prepareStatement(PostgresDialect.SELECT_RUN)) {
                ps.setString(1, run.value());
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? new Object[] {rs.getString(1), rs.getLong(2), rs.getInt(3)}
                      : null;
                }
              }
            });
    if (row == null) {
      return Optional.empty();
    }
    DagId dagId = DagId.of((String) row[0]);
    ComputeDag dag =
        dag(dagId)
            .orElseThrow(
                () ->
                    new KasComputeException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "run " + run.value() + " refers to missing DAG " + dagId.value()));
    RunInfo info = new RunInfo(dag, Instant.ofEpochSecond(0, (Long) row[1]), (Integer) row[2]);
    RunInfo prior = runs.putIfAbsent(run, info);
    return Optional.of(prior == null ? info : prior);
  }

  private static int index(RunInfo info, RunId run, TaskId task) {
    Objects.requireNonNull(task, "task");
    OptionalInt index = info.dag.indexOf(task);
    if (index.isEmpty()) {
      throw new KasComputeException(
          ErrorCode.UNKNOWN_TASK, "run " + run.value() + " has no task " + task.value());
    }
    return index.getAsInt();
  }

  private static List<TaskId> taskIds(ComputeDag dag, int[] indexes) {
    List<TaskId> ids = new ArrayList<>(indexes.length);
    for (int i : indexes) {
      ids.add(dag.taskId(i));
    }
    return ids;
  }

  private static int[] ints(Array array) throws SQLException {
    if (array == null) {
      return new int[0];
    }
    Integer[] boxed = (Integer[]) array.getArray();
    int[] values = new int[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      values[i] = boxed[i];
    }
    return values;
  }

  private static int shard() {
    return ThreadLocalRandom.current().nextInt(PostgresDialect.COUNT_SHARDS);
  }

  private static Array intArray(Connection c, int[] values) throws SQLException {
    Integer[] boxed = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return c.createArrayOf("integer", boxed);
  }

  /** Nanoseconds since the epoch; the schema stores instants this way (years 1678 to 2261). */
  private static long nanos(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE,
          "instant " + instant + " is outside the store's range (years 1678 to 2261)");
    }
  }

  // --- transactions -----------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction; deadlocks and serialization failures are retried, any
   * other SQL failure rolls back and becomes {@code STORE_UNAVAILABLE}.
   */
  private <T> T inTransaction(String operation, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      Connection c = null;
      T result;
      try {
        c = dataSource.getConnection();
        c.setAutoCommit(false);
        result = work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        if (c != null) {
          try {
            c.rollback();
          } catch (SQLException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
          }
          closeQuietly(c);
        }
        if (e instanceof SQLException sql) {
          if (attempt < MAX_TRIES && retryable(sql)) {
            continue;
          }
          throw new KasComputeException(
              ErrorCode.STORE_UNAVAILABLE,
              operation + " failed in the lease store and was not applied: " + e.getMessage(),
              e);
        }
        throw (RuntimeException) e;
      }
      // Committed: a failure to hand the connection back must not turn success into an error.
      closeQuietly(c);
      return result;
    }
  }

  /**
   * Runs {@code work}, which must issue at most one data-changing statement, in autocommit mode:
   * that statement is its own transaction, applied entirely or not at all, and no separate commit
   * round trip is needed. Deadlocks and serialization failures are retried, any other SQL failure
   * becomes {@code STORE_UNAVAILABLE}.
   */
  private <T> T inStatement(String operation, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        return work.run(c);
      } catch (SQLException e) {
        if (attempt < MAX_TRIES && retryable(e)) {
          continue;
        }
        throw new KasComputeException(
            ErrorCode.STORE_UNAVAILABLE,
            operation + " failed in the lease store and was not applied: " + e.getMessage(),
            e);
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection is broken; closing it lets the pool discard it.
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing more can be done with a connection that fails to close.
    }
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  // --- small holders ------------------------------------------------------------------------

  private record RunInfo(ComputeDag dag, Instant created, int total) {}

  private record TaskRow(
      int state,
      long epoch,
      String owner,
      boolean claimed,
      int attempts,
      byte[] proofHash,
      int[] unlocked) {}

  private record Counts(int pending, int ready, int running, int completed, int failed) {
    RunState state(int total) {
      return LeaseRules.runState(total, ready, running, completed, failed);
    }

    boolean finished(int total) {
      return state(total).finished();
    }
  }

  /** Counter changes of one transaction, written to one randomly chosen counter shard. */
  private static final class Delta {
    int pending;
    int ready;
    int running;
    int completed;
    int failed;

    void apply(Connection c, RunId run) throws SQLException {
      if ((pending | ready | running | completed | failed) == 0) {
        return;
      }
      try (PreparedStatement ps = c.prepareStatement(PostgresDialect.UPDATE_COUNTS)) {
        ps.setInt(1, pending);
        ps.setInt(2, ready);
        ps.setInt(3, running);
        ps.setInt(4, completed);
        ps.setInt(5, failed);
        ps.setString(6, run.value());
        ps.setInt(7, shard());
        ps.executeUpdate();
      }
    }
  }
}
