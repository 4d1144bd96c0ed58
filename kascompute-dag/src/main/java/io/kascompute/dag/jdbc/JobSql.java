package io.kascompute.dag.jdbc;

/**
 * The SQL of the JDBC job store, for PostgreSQL 13+. Job states are {@link
 * io.kascompute.dag.lease.LeaseState} codes (FAILED is the view's {@code expired}). A reclaimed
 * job waits with a {@code ready_seq}, so it is granted before every job never granted ({@code
 * ready_seq} NULL, in id order). {@code change_seq} orders the "recent" view: one sequence value
 * per statement times 2^20 plus the rank of the change within the statement.
 */
final class JobSql {
  private JobSql() {}

  /** Counter rows; spreads the counter updates of concurrent coordinators. */
  static final int COUNT_SHARDS = 8;

  /** Advisory lock key that serializes top-ups across coordinators ("kcjobtop" in ASCII). */
  static final long TOP_UP_LOCK = 0x6b636a6f62746f70L;

  static final String COLUMNS =
      "job_id, work_units, state, owner, epoch, granted_ns, lease_expires, completed_ns,"
          + " proof_hash, created_ns, changed_ns, claimed";

  /** Adds jobs with the given work units, in order. Parameters: units[], now, shard. */
  static final String ADD =
      "WITH p AS (SELECT ?::bigint[] AS units, ?::bigint AS now, ?::integer AS shard),"
          + " s AS (SELECT nextval('kc_job_change_seq') AS v),"
          + " u AS (SELECT x.u, x.o, nextval('kc_job_seq') AS id FROM"
          + " (SELECT u, o FROM unnest((SELECT units FROM p)) WITH ORDINALITY AS y(u, o)"
          + " ORDER BY o) AS x),"
          + " j AS (INSERT INTO kc_job (job_id, work_units, state, claimed, epoch, created_ns,"
          + " changed_ns, change_seq)"
          + " SELECT id, u.u, 1, false, 0, (SELECT now FROM p), (SELECT now FROM p),"
          + " (SELECT v FROM s) * 1048576 + least(u.o, 1048575) FROM u RETURNING job_id),"
          + " k AS (UPDATE kc_job_count SET pending = pending + (SELECT count(*) FROM j)"
          + " WHERE shard = (SELECT shard FROM p))"
          + " SELECT job_id FROM j ORDER BY job_id";

  static final String TOP_UP_LOCK_SQL = "SELECT pg_advisory_xact_lock(?)";

  static final String COUNTS =
      "SELECT coalesce(sum(pending), 0), coalesce(sum(running), 0), coalesce(sum(completed), 0),"
          + " coalesce(sum(expired), 0) FROM kc_job_count";

  /**
   * Reclaims expired leases and grants one job, in one statement: the candidates are the head of
   * the ready jobs and every RUNNING job whose lease expired at or before the reclaim instant;
   * the expired ones are queued (under one new ready sequence number, ranked by expiry then id)
   * behind the jobs reclaimed earlier and ahead of every job never granted, or become FAILED
   * (expired) with their attempts used up. The first candidate in that order is granted. Rows
   * locked by another transaction are skipped. Returns the granted job, if any. Parameters:
   * reclaim-at-or-before instant, maxAttempts, owner, now, expiry, shard, retained finished jobs.
   */
  static final String GRANT =
      "WITH p AS (SELECT ?::bigint AS before, ?::integer AS max_attempts, ?::bytea AS owner,"
          + " ?::bigint AS now, ?::bigint AS expires, ?::integer AS shard, ?::bigint AS retain),"
          + " r AS (SELECT job_id, ready_seq, ready_rank FROM kc_job WHERE state = 1"
          + " ORDER BY ready_seq, ready_rank, job_id LIMIT 1 FOR UPDATE SKIP LOCKED),"
          + " x AS (SELECT job_id, lease_expires, epoch FROM kc_job WHERE state = 2"
          + " AND lease_expires <= (SELECT before FROM p) FOR UPDATE SKIP LOCKED),"
          + " s AS (SELECT nextval('kc_job_ready_seq') AS v),"
          + " q0 AS (SELECT job_id, 0 AS src, ready_seq AS seq, ready_rank AS rk, false AS dead"
          + " FROM r UNION ALL SELECT job_id, 1, (SELECT v FROM s),"
          + " row_number() OVER (ORDER BY lease_expires, job_id),"
          + " epoch >= (SELECT max_attempts FROM p) FROM x),"
          + " q AS (SELECT job_id, src, seq, rk, dead, NOT dead AND row_number() OVER"
          + " (ORDER BY dead, seq NULLS LAST, rk, job_id) = 1 AS win FROM q0),"
          + " c AS (SELECT nextval('kc_job_change_seq') AS v),"
          + " g AS (UPDATE kc_job j SET"
          + " state = CASE WHEN q.win THEN 2 WHEN q.dead THEN 4 ELSE 1 END,"
          + " epoch = CASE WHEN q.win THEN j.epoch + 1 ELSE j.epoch END,"
          + " owner = CASE WHEN q.win THEN (SELECT owner FROM p) ELSE j.owner END,"
          + " claimed = CASE WHEN q.win THEN true WHEN q.dead THEN false ELSE j.claimed END,"
          + " granted_ns = CASE WHEN q.win THEN (SELECT now FROM p) ELSE j.granted_ns END,"
          + " lease_expires = CASE WHEN q.win THEN (SELECT expires FROM p)"
          + " ELSE j.lease_expires END,"
          + " ready_seq = CASE WHEN q.win OR q.dead THEN NULL ELSE q.seq END,"
          + " ready_rank = CASE WHEN q.win OR q.dead THEN NULL ELSE q.rk END,"
          + " finish_seq = CASE WHEN q.dead THEN nextval('kc_job_finish_seq')"
          + " ELSE j.finish_seq END,"
          + " changed_ns = (SELECT now FROM p),"
          + " change_seq = (SELECT v FROM c) * 1048576"
          + " + CASE WHEN q.win THEN 1048575 ELSE least(q.rk, 1048574) END"
          + " FROM q WHERE j.job_id = q.job_id AND (q.win OR q.src = 1)"
          + " RETURNING j.job_id, j.state, j.epoch, j.work_units, q.src, j.finish_seq),"
          + " n AS (SELECT count(*) FILTER (WHERE state = 2 AND src = 0) AS n_fresh,"
          + " count(*) FILTER (WHERE state = 1) AS n_back,"
          + " count(*) FILTER (WHERE state = 4) AS n_dead, max(finish_seq) AS last FROM g),"
          + " k AS (UPDATE kc_job_count SET pending = pending + n_back - n_fresh,"
          + " running = running + n_fresh - n_back - n_dead, expired = expired + n_dead"
          + " FROM n WHERE shard = (SELECT shard FROM p) AND n_fresh + n_back + n_dead > 0),"
          + " d AS (DELETE FROM kc_job WHERE finish_seq <= (SELECT last FROM n)"
          + " - (SELECT retain FROM p))"
          + " SELECT job_id, epoch, work_units FROM g WHERE state = 2";

  /**
   * Completes a job and records its proof in one statement when the caller holds its claim and
   * the proof's identity is not recorded yet; forgets finished jobs beyond the retention.
   * Returns two counts, the proof's seq and ledger index, or no row (nothing changed). Parameters: job,
   * owner, epoch (NULL skips the check), now, shard, retained finished jobs, then the proof's
   * {@link ProofRecord#PARAMS}.
   */
  static final String COMPLETE =
      "WITH p AS (SELECT ?::bigint AS p_job, ?::bytea AS p_owner, ?::bigint AS p_epoch,"
          + " ?::bigint AS p_now, ?::integer AS p_shard, ?::bigint AS p_retain, "
          + ProofRecord.PARAM_COLUMNS + "),"
          + " t AS (SELECT job_id, state FROM kc_job WHERE job_id = (SELECT p_job FROM p)"
          + " AND owner = (SELECT p_owner FROM p)"
          + " AND epoch = coalesce((SELECT p_epoch FROM p), epoch)"
          + " AND (state = 2 OR (state = 1 AND claimed)) AND " + ProofRecord.NOT_RECORDED
          + " FOR UPDATE),"
          + " v AS (SELECT nextval('kc_job_change_seq') AS v),"
          + " c AS (UPDATE kc_job j SET state = 3, claimed = false, ready_seq = NULL,"
          + " ready_rank = NULL, completed_ns = (SELECT p_now FROM p),"
          + " proof_hash = (SELECT pr_hash FROM p), finish_seq = nextval('kc_job_finish_seq'),"
          + " changed_ns = (SELECT p_now FROM p), change_seq = (SELECT v FROM v) * 1048576"
          + " FROM t WHERE j.job_id = t.job_id RETURNING t.state AS was, j.finish_seq),"
          + ProofRecord.recordCtes("c") + ","
          + " k AS (UPDATE kc_job_count SET"
          + " running = running - CASE WHEN c.was = 2 THEN 1 ELSE 0 END,"
          + " pending = pending - CASE WHEN c.was = 1 THEN 1 ELSE 0 END,"
          + " completed = completed + 1 FROM c WHERE shard = (SELECT p_shard FROM p) RETURNING 1),"
          + " d AS (DELETE FROM kc_job WHERE finish_seq <= (SELECT finish_seq FROM c)"
          + " - (SELECT p_retain FROM p))"
          + " SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM b),"
          + " (SELECT seq FROM i), (SELECT ledger_index FROM i) FROM c";

  static final String LOCK = "SELECT " + COLUMNS + " FROM kc_job WHERE job_id = ? FOR UPDATE";

  static final String SELECT = "SELECT " + COLUMNS + " FROM kc_job WHERE job_id = ?";

  static final String LIST =
      "SELECT " + COLUMNS + " FROM kc_job WHERE job_id > ? ORDER BY job_id LIMIT ?";

  static final String RECENT =
      "SELECT " + COLUMNS + " FROM kc_job ORDER BY change_seq DESC LIMIT ?";
}
