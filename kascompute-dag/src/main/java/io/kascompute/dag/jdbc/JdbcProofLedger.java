package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
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
 * kc_proof_second}); the lease and job stores record a proof in their completing statements:
 * sequenced in place (seq, ledger index and leaf in the same transaction) when the {@code
 * kc_proof_head} row is free, pending otherwise, and then wait for its {@link ProofSequencer} to
 * give it its seq and ledger index and append it to the {@link JdbcLedgerLog}. Readers never see a pending row as sequenced: {@link
 * #find} sequences a pending row first, {@link #recent} and {@link #size} skip pending rows. It
 * keeps the newest {@code retainedProofs} proofs and ledger leaves and the per-second totals of
 * the newest {@code windowSeconds} seconds, pruning older ones every {@value #PRUNE_EVERY} seqs.
 */
final class JdbcProofLedger implements ProofLedger {
  private static final System.Logger LOG = System.getLogger(JdbcProofLedger.class.getName());

  /** Appends between two prunes (a prune runs when an append's seq is a multiple of it). */
  static final int PRUNE_EVERY = 1024;

  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static final String FIND =
      "SELECT " + ProofRecord.COLUMNS + ", pending FROM kc_proof WHERE proof_hash = ?";
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
  private final ProofSequencer sequencer;
  /** A test hook run between a pending completion's commit and its sequencing (a crash there). */
  volatile Runnable beforeSequencing = () -> { };

  JdbcProofLedger(Tx tx, long retainedProofs, long windowSeconds) {
    this.tx = tx;
    this.log = new JdbcLedgerLog(tx);
    this.sequencer = new ProofSequencer(tx);
    this.retainedProofs = retainedProofs;
    this.windowSeconds = windowSeconds;
  }

  /** Finds a proof by identity; a pending row is sequenced first. */
  @Override
  public Optional<RecordedProof> find(Sha256Digest proofHash) {
    Objects.requireNonNull(proofHash, "proofHash");
    while (true) {
      long[] pending = new long[1];
      Optional<RecordedProof> found = tx.inStatement("find proof", c -> {
        try (PreparedStatement ps = c.prepareStatement(FIND)) {
          ps.setBytes(1, proofHash.toByteArray());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.<RecordedProof>empty();
            }
            rs.getLong(1);
            if (rs.wasNull()) {
              pending[0] = rs.getLong(ProofRecord.COLUMN_COUNT + 1);
              return null;
            }
            return Optional.of(ProofRecord.read(rs));
          }
        }
      });
      if (found != null) {
        return found;
      }
      sequencer.await(pending[0], proofHash, this::sequenced);
    }
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

  /** Whether completing statements may sequence their proof in place (off: always pending). */
  volatile boolean inline = true;

  /**
   * What a completing statement's {@link ProofRecord#RECORD_RESULT} columns say: the proof's seq
   * and ledger index when it was sequenced in place (-1 when pending), its pending number
   * otherwise, and whether other rows were pending.
   */
  record Recording(long seq, long ledgerIndex, long pending, boolean othersPending) {
    /** Reads the columns from {@code at}. */
    static Recording read(ResultSet rs, int at) throws SQLException {
      long seq = rs.getLong(at);
      if (rs.wasNull()) {
        seq = -1;
      }
      long index = rs.getLong(at + 1);
      if (rs.wasNull()) {
        index = -1;
      }
      return new Recording(seq, index, rs.getLong(at + 2), rs.getBoolean(at + 3));
    }

    /**
     * Inside the completing transaction: appends the leaf of a proof sequenced in place (its
     * statement holds the head row until the commit).
     */
    void appendInPlace(Connection c, AcceptedProof proof) throws SQLException {
      if (seq >= 0) {
        JdbcLedgerLog.append(c, new RecordedProof(seq, index(), proof));
      }
    }

    private OptionalLong index() {
      return ledgerIndex < 0 ? OptionalLong.empty() : OptionalLong.of(ledgerIndex);
    }
  }

  /**
   * Called by a store after its completing transaction committed {@code proof}: a proof sequenced
   * in place is returned as it is (after a sequencing pass for other pending rows, if there were
   * any); a pending one is waited for until a sequencing pass (this thread's or a peer's) gave it
   * its seq and ledger index.
   *
   * @throws KasComputeException {@code STORE_UNAVAILABLE} if sequencing a pending proof fails: the
   *     completion is applied and its proof stays pending until the next sequencing pass;
   *     repeating the completion returns its record
   */
  RecordedProof recorded(Recording r, AcceptedProof proof, String operation) {
    if (r.seq() >= 0) {
      sequenced(new ProofSequencer.Pass(r.seq(), 1));
      if (r.othersPending()) {
        sequencePending();
      }
      return new RecordedProof(r.seq(), r.index(), proof);
    }
    try {
      beforeSequencing.run();
      long[] given = sequencer.await(r.pending(), proof.proofHash(), this::sequenced);
      return new RecordedProof(given[0],
          given[1] < 0 ? OptionalLong.empty() : OptionalLong.of(given[1]), proof);
    } catch (KasComputeException e) {
      throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, operation + " was applied and"
          + " its proof recorded, but giving the proof its seq failed in the PostgreSQL store;"
          + " the next sequencing pass gives it one and repeating the completion returns its"
          + " record", e);
    }
  }

  /** Sequences every pending row (when the stores open, after a crash); best effort. */
  void sequencePending() {
    try {
      sequencer.drain(this::sequenced);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "sequencing pending proofs failed; the next completion retries: "
          + e.getMessage());
    }
  }

  /**
   * After a sequencing pass gave seqs {@code firstSeq} to {@code firstSeq + rows - 1}: when they
   * include a multiple of {@value #PRUNE_EVERY}, forgets proofs beyond the retention and totals of
   * seconds beyond the window. Best effort: a failure is logged and the next prune catches up.
   */
  private void sequenced(ProofSequencer.Pass pass) {
    long last = pass.firstSeq() + pass.rows() - 1;
    long seq = last - Math.floorMod(last, PRUNE_EVERY);
    if (seq < pass.firstSeq() || seq == 0) {
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
