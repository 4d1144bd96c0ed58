package io.kascompute.dag.jdbc;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.DagSummary;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.lease.LeaseState;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.StoreLimits;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@link LeaseStore} of a {@link JdbcStores} set: runs, task states, leases and each run's
 * ready queue in PostgreSQL, shared by every coordinator on the database and kept across
 * restarts; a completion records its proof in the set's proof record in the same statement.
 *
 * <p>Grants use {@code FOR UPDATE SKIP LOCKED}, so coordinators do not wait for each other's
 * ready tasks; grant, renew and fail are one autocommit statement each (one round trip), a
 * completion one statement plus, for a verified proof, its ledger append in the same
 * transaction; and a statement that matched nothing is followed by a transaction that names the
 * refusal with {@link LeaseRules}. Lease expiry is decided with the {@code now} each caller
 * passes in, and a lease is reclaimed only a {@linkplain JdbcStores.Builder#reclaimGrace reclaim
 * grace} after it expired.
 */
public final class JdbcLeaseStore implements LeaseStore {
  private final Tx tx;
  private final DagCatalogue catalogue;
  private final JdbcProofLedger ledger;
  private final long graceNanos;
  private final StoreLimits limits;

  JdbcLeaseStore(Tx tx, DagCatalogue catalogue, JdbcProofLedger ledger, long graceNanos,
      StoreLimits limits) {
    this.tx = tx;
    this.catalogue = catalogue;
    this.ledger = ledger;
    this.graceNanos = graceNanos;
    this.limits = limits;
  }

  @Override
  public void putDag(ComputeDag dag) {
    catalogue.put(dag, limits.maxDagTasks());
  }

  @Override
  public Optional<ComputeDag> dag(DagId id) {
    return catalogue.dag(id);
  }

  @Override
  public List<DagSummary> dags(Optional<DagId> after, int limit) {
    return catalogue.list(after, limit);
  }

  @Override
  public RunId createRun(DagId dagId, Instant now) {
    Objects.requireNonNull(now, "now");
    ComputeDag dag = catalogue.dag(Objects.requireNonNull(dagId, "dag")).orElseThrow(() ->
        new KasComputeException(ErrorCode.UNKNOWN_DAG, "no DAG is stored under id " + dagId));
    long createdNs = Codec.nanos(now);
    int n = dag.taskCount();
    int[] indexes = new int[n];
    byte[][] ids = new byte[n][];
    int[] deps = new int[n];
    int roots = 0;
    for (int i = 0; i < n; i++) {
      indexes[i] = i;
      ids[i] = Codec.text(dag.taskId(i).value());
      deps[i] = dag.inDegree(i);
      if (deps[i] == 0) {
        roots++;
      }
    }
    int rootCount = roots;
    List<RunId> deleted = new ArrayList<>();
    RunId runId = tx.inTransaction("create run", c -> {
      deleted.clear();
      makeRoom(c, dagId, n, deleted);
      long seq;
      try (PreparedStatement ps = c.prepareStatement(TaskSql.NEXT_RUN_SEQ);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
      RunId id = RunId.of("run-" + dagId.value() + "-" + seq);
      try (PreparedStatement ps = c.prepareStatement(TaskSql.INSERT_RUN)) {
        ps.setString(1, id.value());
        ps.setLong(2, seq);
        ps.setString(3, dagId.value());
        ps.setLong(4, createdNs);
        ps.setInt(5, n);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(TaskSql.INSERT_COUNTS)) {
        ps.setString(1, id.value());
        ps.setInt(2, n - rootCount);
        ps.setInt(3, rootCount);
        ps.setInt(4, TaskSql.COUNT_SHARDS - 1);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(TaskSql.INSERT_TASKS)) {
        ps.setString(1, id.value());
        ps.setArray(2, Sql.intArray(c, indexes));
        ps.setArray(3, c.createArrayOf("bytea", ids));
        ps.setArray(4, Sql.intArray(c, deps));
        ps.executeUpdate();
      }
      return id;
    });
    deleted.forEach(catalogue::forget);
    catalogue.created(runId, new DagCatalogue.RunInfo(dag, Codec.instant(createdNs), n));
    return runId;
  }

  /**
   * Applies the {@link StoreLimits} before a run of {@code tasks} tasks of {@code dagId} is
   * created: refuses it if the live runs are at their bound, else deletes the oldest finished runs
   * until it fits. Run creations of every coordinator take one advisory lock, so the bounds hold
   * across them.
   */
  private void makeRoom(Connection c, DagId dagId, int tasks, List<RunId> deleted)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TaskSql.LOCK_RUN_CREATION)) {
      ps.execute();
    }
    List<RunId> finished = new ArrayList<>();
    List<Integer> finishedTasks = new ArrayList<>();
    int retained = 0;
    long retainedTasks = 0;
    int live = 0;
    int liveOfDag = 0;
    long liveTasks = 0;
    try (PreparedStatement ps = c.prepareStatement(TaskSql.RETAINED_RUNS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        RunId run = RunId.of(rs.getString(1));
        int total = rs.getInt(3);
        retained++;
        retainedTasks += total;
        if (RunCounts.read(rs, 4, total, run).state().finished()) {
          finished.add(run);
          finishedTasks.add(total);
        } else {
          live++;
          liveTasks += total;
          liveOfDag += dagId.value().equals(rs.getString(2)) ? 1 : 0;
        }
      }
    }
    if (live >= limits.maxLiveRuns() || liveOfDag >= limits.maxLiveRunsPerDag()) {
      throw new KasComputeException(ErrorCode.TOO_MANY_RUNS, live >= limits.maxLiveRuns()
          ? "the store runs its maximum of " + limits.maxLiveRuns() + " live runs"
          : "DAG " + dagId + " has its maximum of " + limits.maxLiveRunsPerDag() + " live runs");
    }
    if (live >= limits.maxRetainedRuns() || liveTasks + tasks > limits.maxRetainedTasks()) {
      throw new KasComputeException(ErrorCode.STORE_FULL, "live runs hold " + liveTasks
          + " tasks; a run of " + tasks + " more does not fit the bound of "
          + limits.maxRetainedTasks());
    }
    for (int i = 0; retained >= limits.maxRetainedRuns()
        || retainedTasks + tasks > limits.maxRetainedTasks(); i++) {
      deleted.add(finished.get(i));
      retained--;
      retainedTasks -= finishedTasks.get(i);
    }
    if (!deleted.isEmpty()) {
      String[] ids = deleted.stream().map(RunId::value).toArray(String[]::new);
      for (String delete : TaskSql.DELETE_RUNS) {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
          ps.setArray(1, c.createArrayOf("text", ids));
          ps.executeUpdate();
        }
      }
    }
  }

  @Override
  public boolean deleteRun(RunId run) {
    Optional<DagCatalogue.RunInfo> found = catalogue.run(run);
    if (found.isEmpty()) {
      return false;
    }
    DagCatalogue.RunInfo info = found.get();
    boolean deleted = tx.inTransaction("delete run", c -> {
      try (PreparedStatement ps = c.prepareStatement(TaskSql.LOCK_RUN)) {
        ps.setString(1, run.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(TaskSql.SELECT_COUNTS)) {
        ps.setString(1, run.value());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!RunCounts.read(rs, 1, info.total(), run).state().finished()) {
            throw new KasComputeException(ErrorCode.RUN_NOT_FINISHED,
                "run " + run + " is still running; only finished runs are deleted");
          }
        }
      }
      for (String delete : TaskSql.DELETE_RUNS) {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
          ps.setArray(1, c.createArrayOf("text", new String[] {run.value()}));
          ps.executeUpdate();
        }
      }
      return true;
    });
    catalogue.forget(run);
    return deleted;
  }

  @Override
  public Optional<TaskGrant> next(RunId run, NodeId node, Instant now, LeasePolicy policy) {
    List<TaskGrant> grants = nextBatch(run, node, now, policy, 1);
    return grants.isEmpty() ? Optional.empty() : Optional.of(grants.get(0));
  }

  /**
   * Grants up to {@code max} heads of the run's ready queue to {@code node} in one statement,
   * after reclaiming expired leases; the same as calling {@link #next} up to {@code max} times
   * until it returns empty.
   *
   * @return the grants in queue order; empty if no task is ready
   * @throws KasComputeException {@code UNKNOWN_RUN}, {@code RUN_FINISHED}, {@code
   *     STORE_UNAVAILABLE}
   */
  public List<TaskGrant> nextBatch(RunId run, NodeId node, Instant now, LeasePolicy policy, int max) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(policy, "policy");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    DagCatalogue.RunInfo info = catalogue.runOrRefuse(run);
    long nowNs = Codec.nanos(Objects.requireNonNull(now, "now"));
    Instant expiresAt = now.plus(policy.leaseDuration());
    long expiresNs = Codec.nanos(expiresAt);
    long reclaimBefore = nowNs - graceNanos;
    byte[] owner = Codec.text(node.value());
    List<long[]> granted = tx.inStatement("grant", c -> {
      List<long[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(TaskSql.GRANT)) {
        ps.setString(1, run.value());
        ps.setInt(2, max);
        ps.setLong(3, reclaimBefore);
        ps.setInt(4, policy.maxAttempts());
        ps.setBytes(5, owner);
        ps.setLong(6, expiresNs);
        ps.setInt(7, Sql.shard(TaskSql.COUNT_SHARDS));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int index = rs.getInt(1);
            if (rs.wasNull()) {
              // Nothing changed: the counts are the run's state before this call; refuse if it
              // had finished (a reclaim that finishes the run returns empty instead).
              RunCounts counts = RunCounts.read(rs, 8, info.total(), run);
              if (counts.state().finished()) {
                throw new KasComputeException(ErrorCode.RUN_FINISHED,
                    "run " + run.value() + " is " + counts.state().wireName());
              }
            } else if (rs.getInt(2) == LeaseState.RUNNING.code()) {
              rows.add(new long[] {index, rs.getLong(3), rs.getInt(4), rs.getInt(5),
                  rs.getLong(6), rs.getLong(7)});
            }
          }
        }
      }
      // Queue order: ready tasks before reclaimed ones, then by queue sequence and rank.
      rows.sort((a, b) -> a[3] != b[3] ? Long.compare(a[3], b[3])
          : a[4] != b[4] ? Long.compare(a[4], b[4]) : Long.compare(a[5], b[5]));
      return rows;
    });
    ComputeDag dag = info.dag();
    List<TaskGrant> grants = new ArrayList<>(granted.size());
    for (long[] row : granted) {
      int i = (int) row[0];
      grants.add(new TaskGrant(run, dag.id(), dag.taskId(i), dag.taskHash(i), dag.workUnits(i),
          dag.taskType(i), expiresAt, row[1], (int) row[2]));
    }
    return grants;
  }

  @Override
  public TaskRenewal renew(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    DagCatalogue.RunInfo info = catalogue.runOrRefuse(run);
    int index = index(info, run, task);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(policy, "policy");
    long nowNs = Codec.nanos(Objects.requireNonNull(now, "now"));
    Instant expiresAt = now.plus(policy.leaseDuration());
    long expiresNs = Codec.nanos(expiresAt);
    byte[] owner = Codec.text(node.value());
    OptionalLong renewed = tx.inStatement("renew",
        c -> renewIfHeld(c, run, index, owner, epoch, nowNs, expiresNs));
    if (renewed.isPresent()) {
      return new TaskRenewal(run, task, expiresAt, renewed.getAsLong());
    }
    return tx.inTransaction("renew", c -> {
      TaskRow row = TaskRow.lock(c, run, index);
      LeaseRules.check(row.claim(), node, epoch, LeaseRules.Operation.RENEW, nowNs, what(run, task));
      long e = renewIfHeld(c, run, index, owner, epoch, nowNs, expiresNs)
          .orElseThrow(() -> changedMeanwhile(run, task));
      return new TaskRenewal(run, task, expiresAt, e);
    });
  }

  private static OptionalLong renewIfHeld(Connection c, RunId run, int index, byte[] owner,
      OptionalLong epoch, long nowNs, long expiresNs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TaskSql.RENEW)) {
      ps.setLong(1, expiresNs);
      ps.setString(2, run.value());
      ps.setInt(3, index);
      ps.setBytes(4, owner);
      ps.setLong(5, nowNs);
      Sql.setEpoch(ps, 6, epoch);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  @Override
  public TaskCompletion complete(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now) {
    DagCatalogue.RunInfo info = catalogue.runOrRefuse(run);
    int index = index(info, run, task);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(proof, "proof");
    long nowNs = Codec.nanos(Objects.requireNonNull(now, "now"));
    if (proof.kind() != ProofKind.TASK || !proof.runId().equals(Optional.of(run))
        || !proof.taskId().equals(Optional.of(task))) {
      throw new IllegalArgumentException("the proof is not one for task " + task + " of run " + run);
    }
    ComputeDag dag = info.dag();
    int[] dependents = new int[dag.dependentCount(index)];
    for (int k = 0; k < dependents.length; k++) {
      dependents[k] = dag.dependent(index, k);
    }
    byte[] owner = Codec.text(node.value());
    Optional<Completed> fast = tx.inTransaction("complete",
        c -> completeIfHeld(c, run, index, owner, epoch, dependents, proof));
    Completed done = fast.isPresent() ? fast.get() : tx.inTransaction("complete", c -> {
      TaskRow row = TaskRow.lock(c, run, index);
      String what = what(run, task);
      LeaseRules.check(row.claim(), node, epoch, LeaseRules.Operation.COMPLETE, nowNs, what);
      if (row.state() == LeaseState.COMPLETED) {
        if (!java.util.Arrays.equals(row.proofHash(), proof.proofHash().toByteArray())) {
          throw LeaseRules.alreadyCompleted(what);
        }
        return new Completed(row.unlocked(), Optional.empty(), true);
      }
      if (JdbcProofLedger.recorded(c, proof.proofHash())) {
        throw JdbcProofLedger.replayed(proof, what);
      }
      return completeIfHeld(c, run, index, owner, OptionalLong.of(row.epoch()), dependents, proof)
          .orElseThrow(() -> changedMeanwhile(run, task));
    });
    List<TaskId> unlocked = new ArrayList<>(done.unlocked().length);
    for (int i : done.unlocked()) {
      unlocked.add(dag.taskId(i));
    }
    if (done.repeat()) {
      return new TaskCompletion(run, task, unlocked, ledger.find(proof.proofHash()), true);
    }
    RecordedProof recorded = done.recorded().orElseThrow();
    ledger.appended(recorded.seq());
    return new TaskCompletion(run, task, unlocked, done.recorded(), false);
  }

  /** A completion's outcome: unlocked task indexes, the new record (not for a repeat). */
  private record Completed(int[] unlocked, Optional<RecordedProof> recorded, boolean repeat) {}

  private static Optional<Completed> completeIfHeld(Connection c, RunId run, int index,
      byte[] owner, OptionalLong epoch, int[] dependents, AcceptedProof proof) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TaskSql.COMPLETE)) {
      ps.setString(1, run.value());
      ps.setInt(2, index);
      ps.setBytes(3, owner);
      Sql.setEpoch(ps, 4, epoch);
      ps.setArray(5, Sql.intArray(c, dependents));
      ps.setInt(6, Sql.shard(TaskSql.COUNT_SHARDS));
      ProofRecord.bind(ps, 7, proof);
      RecordedProof recorded;
      Completed completed;
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int[] unlocked = Sql.ints(rs.getArray(1));
        long seq = rs.getLong(4);
        long lidx = rs.getLong(5);
        OptionalLong ledgerIndex = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lidx);
        recorded = new RecordedProof(seq, ledgerIndex, proof);
        completed = new Completed(unlocked, Optional.of(recorded), false);
      }
      JdbcLedgerLog.append(c, recorded);
      return Optional.of(completed);
    }
  }

  @Override
  public TaskFailure fail(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    DagCatalogue.RunInfo info = catalogue.runOrRefuse(run);
    int index = index(info, run, task);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(policy, "policy");
    long nowNs = Codec.nanos(Objects.requireNonNull(now, "now"));
    byte[] owner = Codec.text(node.value());
    Optional<TaskFailure> fast = tx.inStatement("fail",
        c -> failIfHeld(c, run, task, index, owner, epoch, policy));
    if (fast.isPresent()) {
      return fast.get();
    }
    return tx.inTransaction("fail", c -> {
      TaskRow row = TaskRow.lock(c, run, index);
      LeaseRules.check(row.claim(), node, epoch, LeaseRules.Operation.FAIL, nowNs, what(run, task));
      return failIfHeld(c, run, task, index, owner, OptionalLong.of(row.epoch()), policy)
          .orElseThrow(() -> changedMeanwhile(run, task));
    });
  }

  private static Optional<TaskFailure> failIfHeld(Connection c, RunId run, TaskId task, int index,
      byte[] owner, OptionalLong epoch, LeasePolicy policy) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TaskSql.FAIL)) {
      ps.setString(1, run.value());
      ps.setInt(2, index);
      ps.setBytes(3, owner);
      Sql.setEpoch(ps, 4, epoch);
      ps.setInt(5, policy.maxAttempts());
      ps.setInt(6, Sql.shard(TaskSql.COUNT_SHARDS));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        boolean exhausted = rs.getInt(2) == LeaseState.FAILED.code();
        return Optional.of(new TaskFailure(run, task, exhausted, rs.getInt(3)));
      }
    }
  }

  @Override
  public Optional<RunStatus> status(RunId run) {
    Optional<DagCatalogue.RunInfo> found = catalogue.run(run);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    DagCatalogue.RunInfo info = found.get();
    RunCounts counts = tx.inStatement("run status", c -> {
      try (PreparedStatement ps = c.prepareStatement(TaskSql.SELECT_COUNTS)) {
        ps.setString(1, run.value());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return RunCounts.read(rs, 1, info.total(), run);
        }
      }
    });
    ComputeDag dag = info.dag();
    return Optional.of(new RunStatus(run, dag.id(), dag.rootHash(), dag.name(), info.created(),
        info.total(), counts.pending(), counts.ready(), counts.running(), counts.completed(),
        counts.failed(), counts.state()));
  }

  @Override
  public List<TaskLeaseState> tasks(RunId run, Optional<TaskId> after, int limit) {
    DagCatalogue.RunInfo info = catalogue.runOrRefuse(run);
    int from = after.isPresent() ? index(info, run, after.get()) : -1;
    if (limit <= 0) {
      return List.of();
    }
    ComputeDag dag = info.dag();
    return tx.inStatement("list tasks", c -> {
      try (PreparedStatement ps = c.prepareStatement(TaskSql.LIST_TASKS)) {
        ps.setString(1, run.value());
        ps.setInt(2, from);
        ps.setInt(3, limit);
        List<TaskLeaseState> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            LeaseState state = LeaseState.ofCode(rs.getInt(2));
            boolean leased = state == LeaseState.RUNNING;
            byte[] owner = rs.getBytes(3);
            long expires = rs.getLong(5);
            out.add(new TaskLeaseState(dag.taskId(rs.getInt(1)), state,
                leased && owner != null ? Optional.of(NodeId.of(Codec.string(owner)))
                    : Optional.empty(),
                leased ? Optional.of(Codec.instant(expires)) : Optional.empty(), rs.getLong(6)));
          }
        }
        return out;
      }
    });
  }

  private static int index(DagCatalogue.RunInfo info, RunId run, TaskId task) {
    Objects.requireNonNull(task, "task");
    OptionalInt index = info.dag().indexOf(task);
    if (index.isEmpty()) {
      throw new KasComputeException(ErrorCode.UNKNOWN_TASK, "run " + run + " has no task " + task);
    }
    return index.getAsInt();
  }

  private static String what(RunId run, TaskId task) {
    return "task " + task + " of run " + run;
  }

  private static KasComputeException changedMeanwhile(RunId run, TaskId task) {
    return new KasComputeException(ErrorCode.STALE_LEASE,
        what(run, task) + ": it was granted again meanwhile");
  }
}
