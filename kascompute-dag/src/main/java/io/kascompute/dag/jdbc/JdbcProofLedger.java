package io.kascompute.dag.jdbc;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.LedgerLog;
import io.kascompute.dag.ledger.ProofLedger;
import io.kascompute.dag.ledger.ProofWindow;
import io.kascompute.dag.ledger.RecordedProof;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The record of accepted proofs in PostgreSQL ({@code kc_proof}, {@code kc_proof_head}, {@code
 * kc_proof_second}); the lease and job stores append to it in their completing statements, and
 * to its {@link JdbcLedgerLog} in the same transactions. It keeps the newest {@code
 * retainedProofs} proofs and ledger leaves and the per-second totals of the newest {@code
 * windowSeconds} seconds, pruning older ones every {@value #PRUNE_EVERY} appends.
 */
final class JdbcProofLedger implements ProofLedger {
  private static final System.Logger LOG = System.getLogger(JdbcProofLedger.class.getName());

  /** Appends between two prunes (a prune runs when an append's seq is a multiple of it). */
  static final int PRUNE_EVERY = 1024;

  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static final String FIND =
      "SELECT " + ProofRecord.COLUMNS + " FROM kc_proof WHERE proof_hash = ?";
  private static final String RECENT =
      "SELECT " + ProofRecord.COLUMNS + " FROM kc_proof WHERE seq < ? ORDER BY seq DESC LIMIT ?";
  private static final String WINDOW =
      "SELECT coalesce(sum(jobs), 0), coalesce(sum(job_ms), 0), coalesce(sum(tasks), 0),"
          + " coalesce(sum(work_units), 0), coalesce(sum(verified), 0)"
          + " FROM kc_proof_second WHERE second > ? AND second <= ?";
  private static final String RECORDED = "SELECT 1 FROM kc_proof WHERE proof_hash = ?";
  private static final String SIZE = "SELECT size FROM kc_proof_head WHERE id = 1";
  private static final String PRUNE_PROOFS = "DELETE FROM kc_proof WHERE seq < ?";
  private static final String PRUNE_SECONDS =
      "DELETE FROM kc_proof_second WHERE second < (SELECT max(second) FROM kc_proof_second) - ?";

  private final Tx tx;
  private final long retainedProofs;
  private final long windowSeconds;
  private final JdbcLedgerLog log;

  JdbcProofLedger(Tx tx, long retainedProofs, long windowSeconds) {
    this.tx = tx;
    this.log = new JdbcLedgerLog(tx);
    this.retainedProofs = retainedProofs;
    this.windowSeconds = windowSeconds;
  }

  @Override
  public Optional<RecordedProof> find(Sha256Digest proofHash) {
    Objects.requireNonNull(proofHash, "proofHash");
    return tx.inStatement("find proof", c -> {
      try (PreparedStatement ps = c.prepareStatement(FIND)) {
        ps.setBytes(1, proofHash.toByteArray());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(ProofRecord.read(rs)) : Optional.<RecordedProof>empty();
        }
      }
    });
  }

  @Override
  public List<RecordedProof> recent(OptionalLong before, int limit) {
    Objects.requireNonNull(before, "before");
    if (limit <= 0) {
      return List.of();
    }
    return tx.inStatement("recent proofs", c -> {
      try (PreparedStatement ps = c.prepareStatement(RECENT)) {
        ps.setLong(1, before.orElse(Long.MAX_VALUE));
        ps.setInt(2, limit);
        List<RecordedProof> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(ProofRecord.read(rs));
          }
        }
        return out;
      }
    });
  }

  @Override
  public ProofWindow window(Instant from, Instant to) {
    long first = from.getEpochSecond();
    long last = to.getEpochSecond();
    return tx.inStatement("proof window", c -> {
      try (PreparedStatement ps = c.prepareStatement(WINDOW)) {
        ps.setLong(1, first);
        ps.setLong(2, last);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new ProofWindow(rs.getLong(1), rs.getLong(2), rs.getLong(3),
              unsigned(rs.getBigDecimal(4)), rs.getLong(5));
        }
      }
    });
  }

  @Override
  public long size() {
    return tx.inStatement("proof count", c -> {
      try (PreparedStatement ps = c.prepareStatement(SIZE); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public LedgerLog log() {
    return log;
  }

  /**
   * Called by a store after it appended the proof with {@code seq}: every {@value #PRUNE_EVERY}
   * appends, forgets proofs beyond the retention and totals of seconds beyond the window. Best
   * effort: a failure is logged and the next prune catches up.
   */
  void appended(long seq) {
    if (seq % PRUNE_EVERY != 0 || seq == 0) {
      return;
    }
    try {
      tx.inStatement("prune proofs", c -> {
        try (PreparedStatement ps = c.prepareStatement(PRUNE_PROOFS)) {
          ps.setLong(1, seq + 1 - retainedProofs);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(PRUNE_SECONDS)) {
          ps.setLong(1, windowSeconds);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(JdbcLedgerLog.PRUNE_LEAVES)) {
          ps.setLong(1, retainedProofs);
          ps.executeUpdate();
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pruning the proof record failed; the next prune retries: "
          + e.getMessage());
    }
  }

  /** Whether a proof with this identity is recorded (inside a completing transaction). */
  static boolean recorded(Connection c, Sha256Digest proofHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RECORDED)) {
      ps.setBytes(1, proofHash.toByteArray());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The refusal of a proof whose identity is already recorded for another unit. */
  static KasComputeException replayed(AcceptedProof proof, String what) {
    return LeaseRules.replayedProof(what, proof.proofHash());
  }

  /** An unsigned 64-bit sum, saturating at 2^64-1. */
  private static long unsigned(BigDecimal value) {
    BigInteger v = value.toBigIntegerExact();
    return v.compareTo(MAX_U64) >= 0 ? -1L : v.longValue();
  }
}
