package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.JobState;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.jobs.JobCompletion;
import io.kascompute.dag.jobs.JobCounts;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.jobs.JobStore;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.lease.LeaseState;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The {@link JobStore} of a {@link JdbcStores} set: plain jobs in {@code kc_job} with ids from one
 * sequence, so ids are unique across coordinators; grant and completion are one statement each,
 * and a completion records its proof in the same statement (and, for a verified proof, appends
 * its ledger leaf in the same transaction); top-ups run under an advisory lock.
 * At most about {@code retainedJobs} finished jobs are kept (older ones are forgotten by the
 * statement that finishes a job).
 */
final class JdbcJobStore implements JobStore {
  /** The most jobs one top-up adds. */
  static final int MAX_TOP_UP = 100_000;

  private final Tx tx;
  private final JdbcProofLedger ledger;
  private final long graceNanos;
  private final long retainedJobs;

  JdbcJobStore(Tx tx, JdbcProofLedger ledger, long graceNanos, long retainedJobs) {
    this.tx = tx;
    this.ledger = ledger;
    this.graceNanos = graceNanos;
    this.retainedJobs = retainedJobs;
  }

  @Override
  public long add(long workUnits, Instant now) {
    long at = Codec.nanos(Objects.requireNonNull(now, "now"));
    return tx.inStatement("add job", c -> insert(c, new long[] {workUnits}, at)[0]);
  }

  @Override
  public int topUp(int minPending, LongSupplier workUnits, Instant now) {
    Objects.requireNonNull(workUnits, "workUnits");
    long at = Codec.nanos(Objects.requireNonNull(now, "now"));
    if (minPending > MAX_TOP_UP) {
      throw new IllegalArgumentException("minPending must be at most " + MAX_TOP_UP + ": " + minPending);
    }
    return tx.inTransaction("top up jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(JobSql.TOP_UP_LOCK_SQL)) {
        ps.setLong(1, JobSql.TOP_UP_LOCK);
        ps.execute();
      }
      long pending = counts(c).pending();
      if (pending >= minPending) {
        return 0;
      }
      long[] units = new long[(int) (minPending - pending)];
      for (int i = 0; i < units.length; i++) {
        units[i] = workUnits.getAsLong();
      }
      return insert(c, units, at).length;
    });
  }

  private static long[] insert(Connection c, long[] units, long at) throws SQLException {
    Long[] boxed = new Long[units.length];
    for (int i = 0; i < units.length; i++) {
      boxed[i] = units[i];
    }
    try (PreparedStatement ps = c.prepareStatement(JobSql.ADD)) {
      ps.setArray(1, c.createArrayOf("bigint", boxed));
      ps.setLong(2, at);
      ps.setInt(3, Sql.shard(JobSql.COUNT_SHARDS));
      long[] ids = new long[units.length];
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids[n++] = rs.getLong(1);
        }
      }
      if (n != ids.length) {
        throw new SQLException("added " + n + " jobs instead of " + ids.length);
      }
      return ids;
    }
  }

  @Override
  public Optional<JobGrant> next(NodeId node, Instant now, LeasePolicy policy) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(policy, "policy");
    long at = Codec.nanos(Objects.requireNonNull(now, "now"));
    Instant expiresAt = now.plus(policy.leaseDuration());
    long expires = Codec.nanos(expiresAt);
    byte[] owner = Codec.text(node.value());
    return tx.inStatement("grant job", c -> {
      try (PreparedStatement ps = c.prepareStatement(JobSql.GRANT)) {
        ps.setLong(1, at - graceNanos);
        ps.setInt(2, policy.maxAttempts());
        ps.setBytes(3, owner);
        ps.setLong(4, at);
        ps.setLong(5, expires);
        ps.setInt(6, Sql.shard(JobSql.COUNT_SHARDS));
        ps.setLong(7, retainedJobs);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new JobGrant(rs.getLong(1), rs.getLong(3), node, now, expiresAt,
              rs.getLong(2)));
        }
      }
    });
  }

  @Override
  public JobCompletion complete(
      long jobId, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(proof, "proof");
    long at = Codec.nanos(Objects.requireNonNull(now, "now"));
    if (proof.kind() != ProofKind.JOB || proof.jobId().orElse(~jobId) != jobId) {
      throw new IllegalArgumentException("the proof is not one for job " + Long.toUnsignedString(jobId));
    }
    byte[] owner = Codec.text(node.value());
    Optional<RecordedProof> fast = tx.inTransaction("complete job",
        c -> completeIfHeld(c, jobId, owner, epoch, at, proof));
    if (fast.isPresent()) {
      ledger.appended(fast.get().seq());
      return new JobCompletion(jobId, fast, false);
    }
    Optional<RecordedProof> recorded = tx.inTransaction("complete job", c -> {
      Row row = lock(c, jobId).orElseThrow(() -> unknown(jobId));
      String what = "job " + Long.toUnsignedString(jobId);
      LeaseRules.check(row.claim(), node, epoch, LeaseRules.Operation.COMPLETE, at, what);
      if (row.state() == LeaseState.COMPLETED) {
        if (!Arrays.equals(row.proofHash(), proof.proofHash().toByteArray())) {
          throw LeaseRules.alreadyCompleted(what);
        }
        return Optional.<RecordedProof>empty();
      }
      if (JdbcProofLedger.recorded(c, proof.proofHash())) {
        throw JdbcProofLedger.replayed(proof, what);
      }
      return Optional.of(completeIfHeld(c, jobId, owner, OptionalLong.of(row.epoch()), at, proof)
          .orElseThrow(() -> new KasComputeException(ErrorCode.STALE_LEASE,
              what + ": it was granted again meanwhile")));
    });
    if (recorded.isPresent()) {
      ledger.appended(recorded.get().seq());
      return new JobCompletion(jobId, recorded, false);
    }
    return new JobCompletion(jobId, ledger.find(proof.proofHash()), true);
  }

  private Optional<RecordedProof> completeIfHeld(Connection c, long jobId, byte[] owner,
      OptionalLong epoch, long at, AcceptedProof proof) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE)) {
      ps.setLong(1, jobId);
      ps.setBytes(2, owner);
      Sql.setEpoch(ps, 3, epoch);
      ps.setLong(4, at);
      ps.setInt(5, Sql.shard(JobSql.COUNT_SHARDS));
      ps.setLong(6, retainedJobs);
      ProofRecord.bind(ps, 7, proof);
      RecordedProof recorded;
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long seq = rs.getLong(3);
        long lidx = rs.getLong(4);
        OptionalLong index = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lidx);
        recorded = new RecordedProof(seq, index, proof);
      }
      JdbcLedgerLog.append(c, recorded);
      return Optional.of(recorded);
    }
  }

  @Override
  public Optional<JobRecord> job(long jobId) {
    return tx.inStatement("load job", c -> {
      try (PreparedStatement ps = c.prepareStatement(JobSql.SELECT)) {
        ps.setLong(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Row.read(rs).record()) : Optional.<JobRecord>empty();
        }
      }
    });
  }

  @Override
  public List<JobRecord> jobs(OptionalLong after, int limit) {
    Objects.requireNonNull(after, "after");
    if (limit <= 0 || (after.isPresent() && after.getAsLong() < 0)) {
      return List.of(); // every stored id is below 2^63, so none follows an id above it
    }
    return tx.inStatement("list jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(JobSql.LIST)) {
        ps.setLong(1, after.orElse(0));
        ps.setInt(2, limit);
        return records(ps);
      }
    });
  }

  @Override
  public List<JobRecord> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return tx.inStatement("recent jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(JobSql.RECENT)) {
        ps.setInt(1, limit);
        return records(ps);
      }
    });
  }

  @Override
  public JobCounts counts() {
    return tx.inStatement("job counts", JdbcJobStore::counts);
  }

  private static JobCounts counts(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(JobSql.COUNTS); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new JobCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
    }
  }

  private static List<JobRecord> records(PreparedStatement ps) throws SQLException {
    List<JobRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(Row.read(rs).record());
      }
    }
    return out;
  }

  private static Optional<Row> lock(Connection c, long jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK)) {
      ps.setLong(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Row.read(rs)) : Optional.empty();
      }
    }
  }

  private static KasComputeException unknown(long jobId) {
    return new KasComputeException(ErrorCode.UNKNOWN_JOB, "no job has id " + Long.toUnsignedString(jobId));
  }

  /** A {@code kc_job} row, selected as {@link JobSql#COLUMNS}. */
  private record Row(long jobId, long workUnits, LeaseState state, Optional<NodeId> owner,
      long epoch, OptionalLong granted, OptionalLong expires, OptionalLong completed,
      byte[] proofHash, long created, long changed, boolean claimed) {

    static Row read(ResultSet rs) throws SQLException {
      byte[] owner = rs.getBytes(4);
      return new Row(rs.getLong(1), rs.getLong(2), LeaseState.ofCode(rs.getInt(3)),
          owner == null ? Optional.empty() : Optional.of(NodeId.of(Codec.string(owner))),
          rs.getLong(5), optional(rs, 6), optional(rs, 7), optional(rs, 8), rs.getBytes(9),
          rs.getLong(10), rs.getLong(11), rs.getBoolean(12));
    }

    private static OptionalLong optional(ResultSet rs, int column) throws SQLException {
      long v = rs.getLong(column);
      return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    LeaseRules.Claim claim() {
      return new LeaseRules.Claim(state, epoch, owner, claimed, expires.orElse(0));
    }

    JobRecord record() {
      JobState view = switch (state) {
        case RUNNING -> JobState.RUNNING;
        case COMPLETED -> JobState.COMPLETED;
        case FAILED -> JobState.EXPIRED;
        default -> JobState.PENDING;
      };
      boolean leased = epoch > 0;
      return new JobRecord(jobId, workUnits, view, owner,
          leased && granted.isPresent() ? Optional.of(Codec.instant(granted.getAsLong())) : Optional.empty(),
          leased && expires.isPresent() ? Optional.of(Codec.instant(expires.getAsLong())) : Optional.empty(),
          completed.isPresent() ? Optional.of(Codec.instant(completed.getAsLong())) : Optional.empty(),
          Optional.ofNullable(proofHash).map(Sha256Digest::of), epoch, Codec.instant(created),
          Codec.instant(changed));
    }
  }
}
