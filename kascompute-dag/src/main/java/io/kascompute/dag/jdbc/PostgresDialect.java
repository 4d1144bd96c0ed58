package io.kascompute.dag.jdbc;

import java.util.List;

/**
 * Every SQL statement of the JDBC lease store, written for PostgreSQL 13+; another database gets
 * its own dialect class with the same statements.
 */
final class PostgresDialect {
  static final int PENDING = 0;
  static final int READY = 1;
  static final int RUNNING = 2;
  static final int COMPLETED = 3;
  static final int FAILED = 4;

  /** Number of counter rows per run; spreads the counter updates of concurrent coordinators. */
  static final int COUNT_SHARDS = 16;

  /** Schema files in version order; file {@code i} holds version {@code i + 1}. */
  static final List<String> SCHEMA_FILES = List.of("V1__lease_store.sql");

  /** Advisory lock key that serializes concurrent installers ("kcschema" in ASCII). */
  static final long INSTALL_LOCK_KEY = 0x6b63736368656d61L;

  static final String INSTALL_LOCK = "SELECT pg_advisory_xact_lock(?)";

  static final String CREATE_VERSION_TABLE =
      "CREATE TABLE IF NOT EXISTS kc_schema_version ("
          + "version integer PRIMARY KEY, script text NOT NULL, "
          + "installed_at timestamptz NOT NULL DEFAULT now())";

  static final String SELECT_VERSIONS = "SELECT version FROM kc_schema_version";

  static final String INSERT_VERSION =
      "INSERT INTO kc_schema_version (version, script) VALUES (?, ?)";

  static final String INSERT_DAG =
      "INSERT INTO kc_dag (dag_id, name, task_count, edge_count, definition) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (dag_id) DO NOTHING";

  static final String INSERT_DAG_EDGES =
      "INSERT INTO kc_dag_edge (dag_id, from_index, to_index)"
          + " SELECT ?, f, t FROM unnest(?::integer[], ?::integer[]) AS e(f, t)";

  static final String SELECT_DAG = "SELECT definition FROM kc_dag WHERE dag_id = ?";

  static final String NEXT_RUN_SEQ = "SELECT nextval('kc_run_seq')";

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
          + " FROM unnest(?::integer[], ?::text[], ?::integer[]) AS t(i, id, d)";

  static final String SELECT_RUN =
      "SELECT r.dag_id, r.created_ns, r.tasks_total FROM kc_run r WHERE r.run_id = ?";

  static final String SELECT_COUNTS =
      "SELECT sum(pending), sum(ready), sum(running), sum(completed), sum(failed)"
          + " FROM kc_run_count WHERE run_id = ?";

  static final String UPDATE_COUNTS =
      "UPDATE kc_run_count SET pending = pending + ?, ready = ready + ?, running = running + ?,"
          + " completed = completed + ?, failed = failed + ? WHERE run_id = ? AND shard = ?";

  /**
   * Reclaims the run's expired leases and grants up to {@code limit} heads of the ready queue in
   * one statement. Candidates are the first {@code limit} READY tasks (by ready sequence, then
   * rank) followed by the expired RUNNING tasks (expiry at or before the reclaim instant) with
   * attempts left, ranked by expiry then task index: the reclaimed tasks queue at the tail under
   * one new ready sequence number. The first {@code limit} candidates are granted (epoch and
   * attempts incremented); reclaimed tasks that are not granted become READY at the tail, keeping
   * owner, epoch and claim; expired tasks without attempts left become FAILED and lose the claim.
   * Rows locked by another transaction are skipped. The counter changes go to one shard. Returns
   * one row per changed task: index, new state, epoch, attempts, source (0 ready, 1 reclaimed),
   * queue sequence and rank. Every parameter is read through the first CTE, so the plan does not
   * depend on parameter values and PostgreSQL can keep one generic plan for it. Parameters: run,
   * limit, reclaim-at-or-before instant, maxAttempts, owner, expiry, shard.
   */
  static final String GRANT =
      "WITH p AS (SELECT ?::text AS run, ?::integer AS lim, ?::bigint AS before,"
          + " ?::integer AS max_attempts, ?::text AS owner, ?::bigint AS expires,"
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
          + " SELECT task_index, state, epoch, attempts, src, seq, rk FROM g";

  static final String LOCK_TASK =
      "SELECT state, epoch, owner, claimed, lease_expires, attempts, proof_hash, unlocked"
          + " FROM kc_task"
          + " WHERE run_id = ? AND task_index = ? FOR UPDATE";

  /**
   * Renews in one statement when every condition holds. Parameters: new expiry, run, task, owner,
   * now, epoch (or NULL to skip the epoch check).
   */
  static final String RENEW =
      "UPDATE kc_task SET lease_expires = ? WHERE run_id = ? AND task_index = ? AND state = 2"
          + " AND owner = ? AND lease_expires > ? AND epoch = coalesce(?, epoch)"
          + " RETURNING epoch";

  /**
   * Completes a task in one statement when the caller holds its claim: locks the task row if it
   * is RUNNING (or READY and still claimed) with the given owner and epoch (a NULL epoch skips
   * the epoch check), then decrements the remaining dependencies of its dependents (those
   * reaching zero become READY under one new ready sequence number, ranked by task index, that is
   * code-point order), marks it COMPLETED with its proof hash and the unlocked indexes, and
   * applies the counter changes to one shard. Returns one row (the unlocked indexes) or none, in
   * which case nothing changed. Every parameter is read through the first CTE, so one generic
   * plan serves every call. Parameters: run, task, owner, epoch (NULL skips the check),
   * dependent indexes, proof hash, shard.
   */
  static final String COMPLETE =
      "WITH p AS (SELECT ?::text AS p_run, ?::integer AS p_task, ?::text AS p_owner,"
          + " ?::bigint AS p_epoch, ?::integer[] AS p_deps, ?::bytea AS p_proof,"
          + " ?::integer AS p_shard),"
          + " t AS (SELECT state FROM kc_task WHERE run_id = (SELECT p_run FROM p)"
          + " AND task_index = (SELECT p_task FROM p) AND owner = (SELECT p_owner FROM p)"
          + " AND epoch = coalesce((SELECT p_epoch FROM p), epoch)"
          + " AND (state = 2 OR (state = 1 AND claimed)) FOR UPDATE),"
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
          + " ready_seq = NULL, ready_rank = NULL, proof_hash = (SELECT p_proof FROM p),"
          + " unlocked = (SELECT ids FROM r)"
          + " FROM t WHERE k.run_id = (SELECT p_run FROM p)"
          + " AND k.task_index = (SELECT p_task FROM p)"
          + " RETURNING k.unlocked, t.state AS was),"
          + " k AS (UPDATE kc_run_count SET pending = pending - (SELECT n FROM r),"
          + " running = running - (SELECT count(*) FROM c WHERE was = 2),"
          + " ready = ready - (SELECT count(*) FROM c WHERE was = 1) + (SELECT n FROM r),"
          + " completed = completed + 1"
          + " WHERE run_id = (SELECT p_run FROM p) AND shard = (SELECT p_shard FROM p)"
          + " AND EXISTS (SELECT 1 FROM c))"
          + " SELECT unlocked FROM c";

  /**
   * Ends the node's claim after a failure report: a running task goes back to READY at the tail, a
   * reclaimed one keeps its queue place. Parameters: run, task, epoch.
   */
  static final String FAIL_REQUEUE =
      "UPDATE kc_task SET state = 1, claimed = false, lease_expires = NULL,"
          + " ready_seq = CASE WHEN state = 1 THEN ready_seq ELSE nextval('kc_ready_seq') END,"
          + " ready_rank = CASE WHEN state = 1 THEN ready_rank ELSE task_index END"
          + " WHERE run_id = ? AND task_index = ? AND epoch = ?";

  /** Fails a task for good. Parameters: run, task, epoch. */
  static final String FAIL_FINAL =
      "UPDATE kc_task SET state = 4, claimed = false, lease_expires = NULL, ready_seq = NULL,"
          + " ready_rank = NULL WHERE run_id = ? AND task_index = ? AND epoch = ?";

  private PostgresDialect() {}
}
