package io.kascompute.dag.jdbc;

/**
 * The SQL of the JDBC lease store, written for PostgreSQL 13+. Every hot statement reads its
 * parameters through a first CTE {@code p}, so its plan does not depend on parameter values and
 * PostgreSQL keeps one generic plan for it. Task states are {@link
 * io.kascompute.dag.lease.LeaseState} codes.
 */
final class TaskSql {
  private TaskSql() {}

  /** Counter rows per run; spreads the counter updates of concurrent coordinators. */
  static final int COUNT_SHARDS = 16;

  static final String NEXT_RUN_SEQ = "SELECT nextval('kc_run_seq')";

  /** Serializes run creation (and so the run bounds) across coordinators. */
  static final String LOCK_RUN_CREATION = "SELECT pg_advisory_xact_lock(7310425170612935681)";
  /** Every kept run, oldest first: id, DAG, task count and its counts as {@link RunCounts} reads them. */
  static final String RETAINED_RUNS =
      "SELECT r.run_id, r.dag_id, r.tasks_total, sum(k.pending), sum(k.ready), sum(k.running),"
          + " sum(k.completed), sum(k.failed)"
          + " FROM kc_run r JOIN kc_run_count k ON k.run_id = r.run_id"
          + " GROUP BY r.run_id ORDER BY r.run_seq";
  static final String LOCK_RUN = "SELECT 1 FROM kc_run WHERE run_id = ? FOR UPDATE";
  /** Deletes the runs of a text array, dependent rows first. */
  static final String[] DELETE_RUNS = {
    "DELETE FROM kc_task WHERE run_id = ANY(?)",
    "DELETE FROM kc_run_count WHERE run_id = ANY(?)",
    "DELETE FROM kc_run WHERE run_id = ANY(?)"
  };
  static final String INSERT_RUN =
      "INSERT INTO kc_run (run_id, run_seq, dag_id, created_ns, tasks_total) VALUES (?, ?, ?, ?, ?)";

  static final String INSERT_COUNTS =
      "INSERT INTO kc_run_count (run_id, shard, pending, ready, running, completed, failed)"
          + " SELECT ?, s, CASE WHEN s = 0 THEN ? ELSE 0 END, CASE WHEN s = 0 THEN ? ELSE 0 END,"
          + " 0, 0, 0 FROM generate_series(0, ?) AS s";

  /** Inserts every task of a run in one statement; roots get one ready sequence number. */
  static final String INSERT_TASKS =
      "INSERT INTO kc_task (run_id, task_index, task_id, state, epoch, claimed, attempts,"
          + " remaining_deps, ready_seq, ready_rank)"
          + " SELECT ?, i, id, CASE WHEN d = 0 THEN 1 ELSE 0 END, 0, false, 0, d,"
          + " CASE WHEN d = 0 THEN (SELECT nextval('kc_ready_seq')) END,"
          + " CASE WHEN d = 0 THEN i END"
          + " FROM unnest(?::integer[], ?::bytea[], ?::integer[]) AS t(i, id, d)";

  static final String SELECT_COUNTS =
      "SELECT sum(pending), sum(ready), sum(running), sum(completed), sum(failed)"
          + " FROM kc_run_count WHERE run_id = ?";

  /**
   * Reclaims the run's expired leases and grants up to {@code lim} heads of the ready queue in
   * one statement. Candidates are the first {@code lim} READY tasks (by ready sequence, then
   * rank) followed by the expired RUNNING tasks (expiry at or before the reclaim instant), ranked
   * by expiry then task index: the reclaimed tasks queue at the tail under one new ready sequence
   * number. The first {@code lim} candidates with attempts left are granted (epoch and attempts
   * incremented); reclaimed tasks that are not granted become READY at the tail, keeping owner,
   * epoch and claim; expired tasks without attempts left become FAILED and lose the claim. Rows
   * locked by another transaction are skipped. The counter changes go to one shard. Returns one
   * row per changed task (index, new state, epoch, attempts, source 0 ready or 1 reclaimed, queue
   * sequence and rank, NULL counts) or, when nothing changed, one row of NULLs and the run's
   * counts (pending, ready, running, completed, failed), so an idle grant is one statement.
   * Parameters: run, limit, reclaim-at-or-before instant, maxAttempts, owner, expiry, shard.
   */
  static final String GRANT =
      "WITH p AS (SELECT ?::text AS run, ?::integer AS lim, ?::bigint AS before,"
          + " ?::integer AS max_attempts, ?::bytea AS owner, ?::bigint AS expires,"
          + " ?::integer AS shard),"
          + " r AS (SELECT task_index, ready_seq, ready_rank FROM kc_task"
          + " WHERE run_id = (SELECT run FROM p) AND state = 1 ORDER BY ready_seq, ready_rank"
          + " LIMIT (SELECT lim FROM p) FOR UPDATE SKIP LOCKED),"
          + " x AS (SELECT task_index, lease_expires, attempts FROM kc_task"
          + " WHERE run_id = (SELECT run FROM p) AND state = 2"
          + " AND lease_expires <= (SELECT before FROM p) FOR UPDATE SKIP LOCKED),"
          + " s AS (SELECT nextval('kc_ready_seq') AS v),"
          + " q0 AS (SELECT task_index, 0 AS src, ready_seq AS seq, ready_rank::bigint AS rk,"
          + " false AS dead FROM r"
          + " UNION ALL SELECT task_index, 1, (SELECT v FROM s),"
          + " row_number() OVER (ORDER BY lease_expires, task_index),"
          + " attempts >= (SELECT max_attempts FROM p) FROM x),"
          + " q AS (SELECT task_index, src, seq, rk, dead, NOT dead AND row_number() OVER"
          + " (ORDER BY dead, src, seq, rk) <= (SELECT lim FROM p) AS win FROM q0),"
          + " g AS (UPDATE kc_task t SET"
          + " state = CASE WHEN q.win THEN 2 WHEN q.dead THEN 4 ELSE 1 END,"
          + " epoch = CASE WHEN q.win THEN t.epoch + 1 ELSE t.epoch END,"
          + " owner = CASE WHEN q.win THEN (SELECT owner FROM p) ELSE t.owner END,"
          + " claimed = CASE WHEN q.win THEN true WHEN q.dead THEN false ELSE t.claimed END,"
          + " lease_expires = CASE WHEN q.win THEN (SELECT expires FROM p)"
          + " ELSE t.lease_expires END,"
          + " attempts = CASE WHEN q.win THEN t.attempts + 1 ELSE t.attempts END,"
          + " ready_seq = CASE WHEN q.win OR q.dead THEN NULL ELSE q.seq END,"
          + " ready_rank = CASE WHEN q.win OR q.dead THEN NULL ELSE q.rk END"
          + " FROM q WHERE t.run_id = (SELECT run FROM p) AND t.task_index = q.task_index"
          + " RETURNING t.task_index, t.state, t.epoch, t.attempts, q.src, q.seq, q.rk),"
          + " n AS (SELECT count(*) FILTER (WHERE state = 2) AS n_granted,"
          + " count(*) FILTER (WHERE state = 4) AS n_failed,"
          + " count(*) FILTER (WHERE src = 1) AS n_reclaimed FROM g),"
          + " k AS (UPDATE kc_run_count SET"
          + " ready = ready + n_reclaimed - n_failed - n_granted, failed = failed + n_failed,"
          + " running = running - n_reclaimed + n_granted"
          + " FROM n WHERE run_id = (SELECT run FROM p) AND shard = (SELECT shard FROM p)"
          + " AND n_granted + n_reclaimed > 0)"
          + " SELECT task_index, state, epoch, attempts, src, seq, rk, NULL::bigint AS c_pending,"
          + " NULL::bigint AS c_ready, NULL::bigint AS c_running, NULL::bigint AS c_completed,"
          + " NULL::bigint AS c_failed FROM g"
          + " UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, sum(pending), sum(ready),"
          + " sum(running), sum(completed), sum(failed) FROM kc_run_count"
          + " WHERE run_id = (SELECT run FROM p) HAVING NOT EXISTS (SELECT 1 FROM g)";

  static final String LOCK_TASK =
      "SELECT state, epoch, owner, claimed, lease_expires, attempts, proof_hash, unlocked"
          + " FROM kc_task WHERE run_id = ? AND task_index = ? FOR UPDATE";

  /**
   * Renews in one statement when every condition holds. Parameters: new expiry, run, task, owner,
   * now, epoch (or NULL to skip the epoch check).
   */
  static final String RENEW =
      "UPDATE kc_task SET lease_expires = ? WHERE run_id = ? AND task_index = ? AND state = 2"
          + " AND owner = ? AND lease_expires > ? AND epoch = coalesce(?, epoch)"
          + " RETURNING epoch";

  /**
   * Completes a task and records its proof in one statement when the caller holds its claim and
   * the proof's identity is not recorded yet: locks the task row if it is RUNNING (or READY and
   * still claimed) with the given owner and epoch (a NULL epoch skips the epoch check), decrements
   * the remaining dependencies of its dependents (those reaching zero become READY under one new
   * ready sequence number, ranked by task index, that is code-point order), marks it COMPLETED
   * with its proof hash and the unlocked indexes, appends the proof to the record ({@link
   * ProofRecord#recordCtes}) and applies the counter changes to one shard. Returns one row (the
   * unlocked indexes, two counts, the proof's seq and ledger index) or none, in which case nothing changed.
   * Parameters: run, task, owner, epoch (NULL skips the check), dependent indexes, shard, then
   * the proof's {@link ProofRecord#PARAMS}.
   */
  static final String COMPLETE =
      "WITH p AS (SELECT ?::text AS p_run, ?::integer AS p_task, ?::bytea AS p_owner,"
          + " ?::bigint AS p_epoch, ?::integer[] AS p_deps, ?::integer AS p_shard, "
          + ProofRecord.PARAM_COLUMNS + "),"
          + " t AS (SELECT state FROM kc_task WHERE run_id = (SELECT p_run FROM p)"
          + " AND task_index = (SELECT p_task FROM p) AND owner = (SELECT p_owner FROM p)"
          + " AND epoch = coalesce((SELECT p_epoch FROM p), epoch)"
          + " AND (state = 2 OR (state = 1 AND claimed)) AND " + ProofRecord.NOT_RECORDED
          + " FOR UPDATE),"
          + " s AS (SELECT nextval('kc_ready_seq') AS v),"
          + " u AS (UPDATE kc_task SET remaining_deps = remaining_deps - 1,"
          + " state = CASE WHEN remaining_deps = 1 AND state = 0 THEN 1 ELSE state END,"
          + " ready_seq = CASE WHEN remaining_deps = 1 AND state = 0 THEN (SELECT v FROM s)"
          + " ELSE ready_seq END,"
          + " ready_rank = CASE WHEN remaining_deps = 1 AND state = 0 THEN task_index"
          + " ELSE ready_rank END"
          + " WHERE run_id = (SELECT p_run FROM p)"
          + " AND task_index = ANY ((SELECT p_deps FROM p)::integer[])"
          + " AND EXISTS (SELECT 1 FROM t) RETURNING task_index, state),"
          + " r AS (SELECT coalesce(array_agg(task_index ORDER BY task_index), '{}') AS ids,"
          + " count(*) AS n FROM u WHERE state = 1),"
          + " c AS (UPDATE kc_task k SET state = 3, claimed = false, lease_expires = NULL,"
          + " ready_seq = NULL, ready_rank = NULL, proof_hash = (SELECT pr_hash FROM p),"
          + " unlocked = (SELECT ids FROM r)"
          + " FROM t WHERE k.run_id = (SELECT p_run FROM p)"
          + " AND k.task_index = (SELECT p_task FROM p)"
          + " RETURNING k.unlocked, t.state AS was),"
          + ProofRecord.recordCtes("c") + ","
          + " k AS (UPDATE kc_run_count SET pending = pending - (SELECT n FROM r),"
          + " running = running - (SELECT count(*) FROM c WHERE was = 2),"
          + " ready = ready - (SELECT count(*) FROM c WHERE was = 1) + (SELECT n FROM r),"
          + " completed = completed + 1"
          + " WHERE run_id = (SELECT p_run FROM p) AND shard = (SELECT p_shard FROM p)"
          + " AND EXISTS (SELECT 1 FROM c) RETURNING 1)"
          + " SELECT unlocked, (SELECT count(*) FROM k), (SELECT count(*) FROM b),"
          + " (SELECT seq FROM i), (SELECT ledger_index FROM i) FROM c";

  /**
   * Ends the node's claim after a failure report, in one statement when the caller holds the
   * claim: with attempts left a running task goes back to READY at the tail and a reclaimed one
   * keeps its queue place; without, it becomes FAILED. Returns the state before and after and the
   * attempts, or no row (nothing changed). Parameters: run, task, owner, epoch (NULL skips the
   * check), maxAttempts, shard.
   */
  static final String FAIL =
      "WITH p AS (SELECT ?::text AS run, ?::integer AS task, ?::bytea AS owner,"
          + " ?::bigint AS epoch, ?::integer AS max_attempts, ?::integer AS shard),"
          + " t AS (SELECT task_index, state, attempts, attempts >= (SELECT max_attempts FROM p)"
          + " AS dead FROM kc_task WHERE run_id = (SELECT run FROM p)"
          + " AND task_index = (SELECT task FROM p) AND owner = (SELECT owner FROM p)"
          + " AND epoch = coalesce((SELECT epoch FROM p), epoch)"
          + " AND (state = 2 OR (state = 1 AND claimed)) FOR UPDATE),"
          + " f AS (UPDATE kc_task k SET state = CASE WHEN t.dead THEN 4 ELSE 1 END,"
          + " claimed = false, lease_expires = NULL,"
          + " ready_seq = CASE WHEN t.dead THEN NULL WHEN t.state = 1 THEN k.ready_seq"
          + " ELSE nextval('kc_ready_seq') END,"
          + " ready_rank = CASE WHEN t.dead THEN NULL WHEN t.state = 1 THEN k.ready_rank"
          + " ELSE k.task_index END"
          + " FROM t WHERE k.run_id = (SELECT run FROM p) AND k.task_index = t.task_index"
          + " RETURNING t.state AS was, k.state AS now, k.attempts),"
          + " n AS (UPDATE kc_run_count SET"
          + " running = running - CASE WHEN f.was = 2 THEN 1 ELSE 0 END,"
          + " ready = ready + CASE WHEN f.was = 2 AND f.now = 1 THEN 1"
          + " WHEN f.was = 1 AND f.now = 4 THEN -1 ELSE 0 END,"
          + " failed = failed + CASE WHEN f.now = 4 THEN 1 ELSE 0 END"
          + " FROM f WHERE run_id = (SELECT run FROM p) AND shard = (SELECT shard FROM p))"
          + " SELECT was, now, attempts FROM f";

  /** A page of a run's tasks in index order. Parameters: run, after index, limit. */
  static final String LIST_TASKS =
      "SELECT task_index, state, owner, claimed, lease_expires, epoch FROM kc_task"
          + " WHERE run_id = ? AND task_index > ? ORDER BY task_index LIMIT ?";
}
