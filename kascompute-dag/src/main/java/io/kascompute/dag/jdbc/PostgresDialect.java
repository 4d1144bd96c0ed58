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
   * Reclaims expired leases: a task with attempts left goes back to READY at the tail (one new
   * ready sequence number, ranked by expiry then task index), keeping its owner, epoch and claim;
   * the others become FAILED and the claim ends. Rows locked by another transaction are skipped:
   * that transaction is completing, failing or reclaiming them. Parameters: run, reclaim-at-or-
   * before instant, maxAttempts x4, run.
   */
  static final String RECLAIM =
      "WITH s AS (SELECT nextval('kc_ready_seq') AS v),"
          + " e AS (SELECT task_index, row_number() OVER (ORDER BY lease_expires, task_index) AS rk"
          + " FROM (SELECT task_index, lease_expires FROM kc_task WHERE run_id = ? AND state = 2"
          + " AND lease_expires <= ? FOR UPDATE SKIP LOCKED) AS x)"
          + " UPDATE kc_task t SET"
          + " state = CASE WHEN t.attempts >= ? THEN 4 ELSE 1 END,"
          + " claimed = t.attempts < ?,"
          + " ready_seq = CASE WHEN t.attempts >= ? THEN NULL ELSE (SELECT v FROM s) END,"
          + " ready_rank = CASE WHEN t.attempts >= ? THEN NULL ELSE e.rk END"
          + " FROM e WHERE t.run_id = ? AND t.task_index = e.task_index"
          + " RETURNING t.state";

  /**
   * Grants up to {@code limit} heads of the ready queue in one statement, incrementing each
   * epoch, and applies the call's counter changes to one shard. Parameters: run, limit, owner,
   * expiry, run, reclaimed-to-ready, reclaimed-to-failed, reclaimed total, run, shard.
   */
  static final String CLAIM =
      "WITH c AS (SELECT task_index, ready_seq, ready_rank FROM kc_task"
          + " WHERE run_id = ? AND state = 1 ORDER BY ready_seq, ready_rank LIMIT ?"
          + " FOR UPDATE SKIP LOCKED),"
          + " g AS (UPDATE kc_task t SET state = 2, epoch = t.epoch + 1, owner = ?, claimed = true,"
          + " lease_expires = ?, attempts = t.attempts + 1, ready_seq = NULL, ready_rank = NULL"
          + " FROM c WHERE t.run_id = ? AND t.task_index = c.task_index"
          + " RETURNING t.task_index, t.epoch, t.attempts, c.ready_seq, c.ready_rank),"
          + " k AS (UPDATE kc_run_count SET ready = ready + ? - (SELECT count(*) FROM g),"
          + " failed = failed + ?, running = running - ? + (SELECT count(*) FROM g)"
          + " WHERE run_id = ? AND shard = ?)"
          + " SELECT task_index, epoch, attempts, ready_seq, ready_rank FROM g";

  static final String LOCK_TASK =
      "SELECT state, epoch, owner, claimed, lease_expires, attempts, proof_hash, unlocked"
          + " FROM kc_task"
          + " WHERE run_id = ? AND task_index = ? FOR UPDATE";

  static final String SELECT_TASK =
      "SELECT state, epoch, owner, claimed, lease_expires, attempts, proof_hash, unlocked"
          + " FROM kc_task"
          + " WHERE run_id = ? AND task_index = ?";

  /**
   * Renews in one statement when every condition holds. Parameters: new expiry, run, task, owner,
   * now, epoch (or NULL to skip the epoch check).
   */
  static final String RENEW =
      "UPDATE kc_task SET lease_expires = ? WHERE run_id = ? AND task_index = ? AND state = 2"
          + " AND owner = ? AND lease_expires > ? AND epoch = coalesce(?, epoch)"
          + " RETURNING epoch";

  /**
   * Completes a task in one statement: decrements the remaining dependencies of its dependents
   * (those reaching zero become READY under one new ready sequence number, ranked by task index,
   * that is code-point order), marks it COMPLETED with its proof hash and the unlocked indexes,
   * conditional on the epoch, and applies the counter changes to one shard. Returns one row (the
   * unlocked indexes) or none when the epoch moved. Parameters: run, dependent indexes, proof
   * hash, run, task, epoch, running delta, ready delta, run, shard.
   */
  static final String COMPLETE =
      "WITH s AS (SELECT nextval('kc_ready_seq') AS v),"
          + " u AS (UPDATE kc_task SET remaining_deps = remaining_deps - 1,"
          + " state = CASE WHEN remaining_deps = 1 AND state = 0 THEN 1 ELSE state END,"
          + " ready_seq = CASE WHEN remaining_deps = 1 AND state = 0 THEN (SELECT v FROM s)"
          + " ELSE ready_seq END,"
          + " ready_rank = CASE WHEN remaining_deps = 1 AND state = 0 THEN task_index"
          + " ELSE ready_rank END"
          + " WHERE run_id = ? AND task_index = ANY (?) RETURNING task_index, state),"
          + " r AS (SELECT coalesce(array_agg(task_index ORDER BY task_index), '{}') AS ids,"
          + " count(*) AS n FROM u WHERE state = 1),"
          + " c AS (UPDATE kc_task SET state = 3, claimed = false, lease_expires = NULL,"
          + " ready_seq = NULL, ready_rank = NULL, proof_hash = ?,"
          + " unlocked = (SELECT ids FROM r)"
          + " WHERE run_id = ? AND task_index = ? AND epoch = ? RETURNING unlocked),"
          + " k AS (UPDATE kc_run_count SET pending = pending - (SELECT n FROM r),"
          + " running = running + ?, ready = ready + ? + (SELECT n FROM r),"
          + " completed = completed + 1"
          + " WHERE run_id = ? AND shard = ? AND EXISTS (SELECT 1 FROM c))"
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
