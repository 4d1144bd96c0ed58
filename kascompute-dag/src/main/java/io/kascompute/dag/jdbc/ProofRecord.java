package io.kascompute.dag.jdbc;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How an accepted proof is recorded in {@code kc_proof}: the parameters a completing statement
 * binds for it, the CTEs that append it (the {@code kc_proof_head} row hands out {@code seq} and
 * the ledger index, the row is inserted, the second's totals in {@code kc_proof_second} grow), and
 * the mapping of a stored row back to a {@link RecordedProof}.
 */
final class ProofRecord {
  private ProofRecord() {}

  /** Number of parameters {@link #bind} sets. */
  static final int PARAMS = 24;

  /** Shards of each second's totals in {@code kc_proof_second}. */
  static final int SECOND_SHARDS = 8;

  /** The typed parameter columns of the proof, for a statement's parameter CTE {@code p}. */
  static final String PARAM_COLUMNS =
      "?::bytea AS pr_hash, ?::smallint AS pr_kind, ?::bytea AS pr_node, ?::bytea AS pr_miner,"
          + " ?::bigint AS pr_job, ?::bytea AS pr_run, ?::bytea AS pr_task, ?::bytea AS pr_task_hash,"
          + " ?::bigint AS pr_units, ?::bytea AS pr_mode, ?::bigint AS pr_elapsed,"
          + " ?::bytea AS pr_client, ?::bigint AS pr_ts, ?::smallint AS pr_scheme,"
          + " ?::bytea AS pr_sig, ?::bytea AS pr_key, ?::bigint AS pr_epoch,"
          + " ?::bigint AS pr_assigned, ?::bigint AS pr_accepted, ?::bytea AS pr_coord,"
          + " ?::boolean AS pr_verified, ?::bigint AS pr_second, ?::bigint AS pr_job_ms,"
          + " ?::smallint AS pr_shard";

  /**
   * The CTEs that record the proof of {@code p} when the CTE {@code done} returned a row: {@code
   * b} adds it to one shard of its second's totals ({@code RETURNING 1}), {@code h} takes the next
   * seq (and, for a verified proof, the next ledger index, which key rotations take too) from the
   * head row, {@code i} inserts the row ({@code seq,
   * ledger_index}). A statement reads {@code b}, any other counters, and {@code i} last, in that
   * order, so the head row, which every completion of every coordinator takes, is locked last:
   * from there only the insert and the commit remain.
   */
  static String recordCtes(String done) {
    return " b AS (INSERT INTO kc_proof_second AS s (second, shard, jobs, job_ms, tasks,"
        + " work_units, verified)"
        + " SELECT pr_second, pr_shard, CASE WHEN pr_kind = 0 THEN 1 ELSE 0 END,"
        + " CASE WHEN pr_kind = 0 THEN pr_job_ms ELSE 0 END,"
        + " CASE WHEN pr_kind = 1 THEN 1 ELSE 0 END,"
        + " CASE WHEN pr_units < 0 THEN pr_units::numeric + 18446744073709551616"
        + " ELSE pr_units::numeric END,"
        + " CASE WHEN pr_verified THEN 1 ELSE 0 END FROM p WHERE EXISTS (SELECT 1 FROM " + done
        + ")"
        + " ON CONFLICT (second, shard) DO UPDATE SET jobs = s.jobs + excluded.jobs,"
        + " job_ms = s.job_ms + excluded.job_ms, tasks = s.tasks + excluded.tasks,"
        + " work_units = s.work_units + excluded.work_units,"
        + " verified = s.verified + excluded.verified RETURNING 1),"
        + " h AS (UPDATE kc_proof_head SET size = size + 1,"
        + " entries = entries + CASE WHEN (SELECT pr_verified FROM p) THEN 1 ELSE 0 END"
        + " WHERE id = 1 AND EXISTS (SELECT 1 FROM " + done + ")"
        + " RETURNING size - 1 AS seq,"
        + " CASE WHEN (SELECT pr_verified FROM p) THEN entries - 1 END AS lidx),"
        + " i AS (INSERT INTO kc_proof (seq, ledger_index, proof_hash, kind, node_id, miner_id,"
        + " job_id, run_id, task_id, task_hash, work_units, workload_mode, elapsed_ms,"
        + " client_version, ts, scheme, signature, public_key, lease_epoch, assigned_ns,"
        + " accepted_ns, coordinator)"
        + " SELECT h.seq, h.lidx, pr_hash, pr_kind, pr_node, pr_miner, pr_job, pr_run, pr_task,"
        + " pr_task_hash, pr_units, pr_mode, pr_elapsed, pr_client, pr_ts, pr_scheme, pr_sig,"
        + " pr_key, pr_epoch, pr_assigned, pr_accepted, pr_coord FROM h, p"
        + " RETURNING seq, ledger_index)";
  }

  /** The condition that no proof with the identity of {@code p} is recorded yet. */
  static final String NOT_RECORDED =
      "NOT EXISTS (SELECT 1 FROM kc_proof WHERE proof_hash = (SELECT pr_hash FROM p))";

  /** Binds the proof's {@link #PARAMS} parameters from index {@code at}. */
  static void bind(PreparedStatement ps, int at, AcceptedProof p) throws SQLException {
    int i = at;
    ps.setBytes(i++, p.proofHash().toByteArray());
    ps.setShort(i++, kindCode(p.kind()));
    ps.setBytes(i++, Codec.text(p.nodeId().value()));
    setText(ps, i++, p.minerId());
    setLong(ps, i++, p.jobId());
    setText(ps, i++, p.runId().map(RunId::value));
    setText(ps, i++, p.taskId().map(TaskId::value));
    ps.setBytes(i++, p.taskHash().map(Sha256Digest::toByteArray).orElse(null));
    ps.setLong(i++, p.workUnits());
    setText(ps, i++, p.workloadMode());
    ps.setLong(i++, p.elapsedMs());
    ps.setBytes(i++, Codec.text(p.clientVersion()));
    ps.setLong(i++, p.ts());
    if (p.scheme().isPresent()) {
      ps.setShort(i++, schemeCode(p.scheme().get()));
    } else {
      ps.setNull(i++, Types.SMALLINT);
    }
    setText(ps, i++, p.signature());
    ps.setBytes(i++, p.publicKey().map(PublicKeyBytes::toByteArray).orElse(null));
    ps.setLong(i++, p.leaseEpoch());
    if (p.assigned().isPresent()) {
      ps.setLong(i++, Codec.nanos(p.assigned().get()));
    } else {
      ps.setNull(i++, Types.BIGINT);
    }
    ps.setLong(i++, Codec.nanos(p.accepted()));
    ps.setBytes(i++, Codec.text(p.coordinator()));
    ps.setBoolean(i++, p.verified());
    ps.setLong(i++, p.accepted().getEpochSecond());
    ps.setLong(i++, p.leaseMillis());
    ps.setShort(i, (short) Sql.shard(SECOND_SHARDS));
  }

  /** The columns {@link #read} expects, in order. */
  static final String COLUMNS =
      "seq, ledger_index, proof_hash, kind, node_id, miner_id, job_id, run_id, task_id, task_hash,"
          + " work_units, workload_mode, elapsed_ms, client_version, ts, scheme, signature,"
          + " public_key, lease_epoch, assigned_ns, accepted_ns, coordinator";

  /** The recorded proof of the current row, selected as {@link #COLUMNS}. */
  static RecordedProof read(ResultSet rs) throws SQLException {
    long seq = rs.getLong(1);
    long index = rs.getLong(2);
    OptionalLong ledgerIndex = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(index);
    Sha256Digest hash = Sha256Digest.of(rs.getBytes(3));
    ProofKind kind = rs.getShort(4) == 0 ? ProofKind.JOB : ProofKind.TASK;
    NodeId node = NodeId.of(Codec.string(rs.getBytes(5)));
    Optional<String> miner = text(rs.getBytes(6));
    long job = rs.getLong(7);
    OptionalLong jobId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(job);
    Optional<RunId> run = text(rs.getBytes(8)).map(RunId::of);
    Optional<TaskId> task = text(rs.getBytes(9)).map(TaskId::of);
    byte[] taskHash = rs.getBytes(10);
    long units = rs.getLong(11);
    Optional<String> mode = text(rs.getBytes(12));
    long elapsed = rs.getLong(13);
    String client = Codec.string(rs.getBytes(14));
    long ts = rs.getLong(15);
    short scheme = rs.getShort(16);
    Optional<SignatureScheme> signatureScheme =
        rs.wasNull() ? Optional.empty() : Optional.of(scheme(scheme));
    Optional<String> signature = text(rs.getBytes(17));
    byte[] key = rs.getBytes(18);
    long epoch = rs.getLong(19);
    long assigned = rs.getLong(20);
    Optional<java.time.Instant> assignedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Codec.instant(assigned));
    java.time.Instant accepted = Codec.instant(rs.getLong(21));
    String coordinator = Codec.string(rs.getBytes(22));
    AcceptedProof proof = new AcceptedProof(kind, node, miner, jobId, run, task,
        Optional.ofNullable(taskHash).map(Sha256Digest::of), units, mode, elapsed, client, ts,
        signatureScheme, signature, Optional.ofNullable(key).map(PublicKeyBytes::of), hash, epoch,
        assignedAt, accepted, coordinator);
    return new RecordedProof(seq, ledgerIndex, proof);
  }

  private static short kindCode(ProofKind kind) {
    return (short) (kind == ProofKind.JOB ? 0 : 1);
  }

  /** Scheme codes: 0 the digest scheme, 1 the launcher scheme. */
  private static short schemeCode(SignatureScheme s) {
    return (short) switch (s) {
      case DIGEST -> 0;
      case LAUNCHER -> 1;
    };
  }

  private static SignatureScheme scheme(short code) {
    return switch (code) {
      case 0 -> SignatureScheme.DIGEST;
      case 1 -> SignatureScheme.LAUNCHER;
      default -> throw new IllegalStateException("stored signature scheme code " + code + " is unknown");
    };
  }

  private static void setText(PreparedStatement ps, int i, Optional<String> s) throws SQLException {
    ps.setBytes(i, s.map(Codec::text).orElse(null));
  }

  private static void setLong(PreparedStatement ps, int i, OptionalLong v) throws SQLException {
    if (v.isPresent()) {
      ps.setLong(i, v.getAsLong());
    } else {
      ps.setNull(i, Types.BIGINT);
    }
  }

  private static Optional<String> text(byte[] b) {
    return b == null ? Optional.empty() : Optional.of(Codec.string(b));
  }
}
