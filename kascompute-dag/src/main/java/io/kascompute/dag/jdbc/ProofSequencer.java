package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.MerkleTree;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group sequencing of the proof record: gives the pending rows of {@code kc_proof} (recorded by a
 * completing transaction without seq or ledger index) their gap-free seqs and, to the verified
 * ones, their ledger indexes, and appends their leaves to the log, many rows per transaction.
 *
 * <p>A sequencing transaction takes the {@code kc_proof_head} row ({@code FOR UPDATE}, waiting for
 * another coordinator's sequencing or a key rotation), then reads the log's border and up to
 * {@value #BATCH} pending rows in insertion order, and writes in one statement the leaves, every
 * subtree hash they complete, the new border, the rows' seqs and indexes and the new head. Inside
 * one store set the passes run one at a time: a completer waits for the running pass and finds
 * its row sequenced by it (it committed before the pass read the pending rows) or runs the next
 * pass for itself and every completer that committed meanwhile, so one transaction and one WAL
 * flush serve many completions.
 */
final class ProofSequencer {
  /** Most pending rows one sequencing transaction takes. */
  static final int BATCH = 512;

  private static final String LOCK_HEAD =
      "SELECT size, entries FROM kc_proof_head WHERE id = 1 FOR UPDATE";
  private static final String PENDING =
      "SELECT k, pend, b FROM (SELECT 0 AS k, NULL::bigint AS pend, border AS b"
          + " FROM kc_ledger_head WHERE id = 1 UNION ALL (SELECT 1, pending, pending_leaf"
          + " FROM kc_proof WHERE seq IS NULL ORDER BY pending LIMIT ?)) u ORDER BY k, pend";
  private static final String SEQUENCE =
      "WITH u AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS u(pend, seq, lidx)),"
          + " s AS (INSERT INTO kc_ledger_subtree (level, idx, hash)"
          + " SELECT t.lvl::smallint, t.ix, substring(?::bytea FROM (t.ord::int - 1) * 32 + 1 FOR 32)"
          + " FROM unnest(?::int[], ?::bigint[]) WITH ORDINALITY AS t(lvl, ix, ord)),"
          + " l AS (INSERT INTO kc_ledger_leaf (idx, leaf) SELECT u.lidx, k.pending_leaf"
          + " FROM u JOIN kc_proof k ON k.pending = u.pend AND k.seq IS NULL"
          + " WHERE u.lidx IS NOT NULL),"
          + " g AS (UPDATE kc_ledger_head SET size = ?, border = ? WHERE id = 1 AND ?),"
          + " h AS (UPDATE kc_proof_head SET size = size + ?, entries = entries + ? WHERE id = 1),"
          + " r AS (UPDATE kc_proof k SET seq = u.seq, ledger_index = u.lidx, pending_leaf = NULL"
          + " FROM u WHERE k.pending = u.pend AND k.seq IS NULL RETURNING 1)"
          + " SELECT count(*) FROM r";
  private static final String SEQUENCED =
      "SELECT seq, ledger_index FROM kc_proof WHERE proof_hash = ?";

  /** The slot of a waiting completer before its row is sequenced. */
  private static final long[] WAITING = new long[0];

  private final Tx tx;
  private final ReentrantLock pass = new ReentrantLock();
  /** Pending number to {seq, ledger index or -1} (or {@link #WAITING}) for this set's waiters. */
  private final ConcurrentHashMap<Long, long[]> slots = new ConcurrentHashMap<>();

  ProofSequencer(Tx tx) {
    this.tx = tx;
  }

  /** What one sequencing transaction did: the first seq it gave and how many rows it took. */
  record Pass(long firstSeq, int rows) {
    boolean full() {
      return rows == BATCH;
    }
  }

  /**
   * Waits until the committed pending row {@code pending} (of the proof {@code proofHash}) is
   * sequenced, running sequencing passes as needed, and returns its seq and ledger index (-1 for
   * none); {@code afterPass} is told about every pass this thread ran, after it released the pass.
   *
   * @throws KasComputeException {@code STORE_UNAVAILABLE} if a sequencing pass fails (the row
   *     stays pending for the next pass)
   */
  long[] await(long pending, Sha256Digest proofHash, java.util.function.Consumer<Pass> afterPass) {
    slots.put(pending, WAITING);
    try {
      while (true) {
        long[] done = slots.get(pending);
        if (done != WAITING) {
          return done;
        }
        Pass ran;
        pass.lock();
        try {
          done = slots.get(pending);
          if (done != WAITING) {
            return done;
          }
          ran = runPass();
          done = slots.get(pending);
          if (done == WAITING && !ran.full()) {
            // The row committed before this pass read the pending rows and was not among them:
            // another coordinator's pass sequenced it.
            done = read(proofHash);
          }
        } finally {
          pass.unlock();
        }
        if (ran.rows() > 0) {
          afterPass.accept(ran);
        }
        if (done != WAITING) {
          return done;
        }
      }
    } finally {
      slots.remove(pending);
    }
  }

  /** Runs passes until no pending row is left (at open). */
  void drain(java.util.function.Consumer<Pass> afterPass) {
    while (true) {
      Pass ran;
      pass.lock();
      try {
        ran = runPass();
      } finally {
        pass.unlock();
      }
      if (ran.rows() > 0) {
        afterPass.accept(ran);
      }
      if (!ran.full()) {
        return;
      }
    }
  }

  private long[] read(Sha256Digest proofHash) {
    return tx.inStatement("read a proof's seq", c -> {
      try (PreparedStatement ps = c.prepareStatement(SEQUENCED)) {
        ps.setBytes(1, proofHash.toByteArray());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long seq = rs.getLong(1);
            if (!rs.wasNull()) {
              long index = rs.getLong(2);
              return new long[] {seq, rs.wasNull() ? -1 : index};
            }
          }
        }
      }
      throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, "the proof record lost a"
          + " pending proof before it was sequenced (a store changed behind the SDK's back)");
    });
  }

  /** One sequencing transaction; publishes the seqs it gave to this set's waiters after commit. */
  private Pass runPass() {
    List<long[]> given = new ArrayList<>();
    Pass ran = tx.inTransaction("sequence proofs", c -> {
      given.clear();
      long size;
      long entries;
      try (PreparedStatement ps = c.prepareStatement(LOCK_HEAD); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("kc_proof_head has no row", "KC001");
        }
        size = rs.getLong(1);
        entries = rs.getLong(2);
      }
      CompactRange range = null;
      List<Long> pendings = new ArrayList<>();
      List<byte[]> leaves = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(PENDING)) {
        ps.setInt(1, BATCH);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getInt(1) == 0) {
              range = CompactRange.fromBytes(rs.getBytes(3));
            } else {
              pendings.add(rs.getLong(2));
              leaves.add(rs.getBytes(3));
            }
          }
        }
      }
      if (range == null) {
        throw new SQLException("kc_ledger_head has no row", "KC001");
      }
      if (pendings.isEmpty()) {
        // Nothing written: end without a commit record.
        c.rollback();
        return new Pass(size, 0);
      }
      if (range.size() != entries) {
        throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, "the ledger holds "
            + range.size() + " entries but the proof record counts " + entries
            + "; no proof was sequenced");
      }
      int n = pendings.size();
      Long[] pend = new Long[n];
      Long[] seqs = new Long[n];
      Long[] indexes = new Long[n];
      List<Integer> levels = new ArrayList<>();
      List<Long> subtreeIndexes = new ArrayList<>();
      ByteArrayOutputStream hashes = new ByteArrayOutputStream(64 * n + 64);
      long index = entries;
      for (int i = 0; i < n; i++) {
        pend[i] = pendings.get(i);
        seqs[i] = size + i;
        byte[] leaf = leaves.get(i);
        if (leaf != null) {
          indexes[i] = index++;
          range.append(MerkleTree.leafHash(leaf), (level, idx, hash) -> {
            levels.add(level);
            subtreeIndexes.add(idx);
            hashes.writeBytes(hash.toByteArray());
          });
        }
        given.add(new long[] {pend[i], seqs[i], leaf == null ? -1 : indexes[i]});
      }
      long verified = index - entries;
      try (PreparedStatement ps = c.prepareStatement(SEQUENCE)) {
        ps.setArray(1, c.createArrayOf("bigint", pend));
        ps.setArray(2, c.createArrayOf("bigint", seqs));
        ps.setArray(3, c.createArrayOf("bigint", indexes));
        ps.setBytes(4, hashes.toByteArray());
        ps.setArray(5, c.createArrayOf("integer", levels.toArray(new Integer[0])));
        ps.setArray(6, c.createArrayOf("bigint", subtreeIndexes.toArray(new Long[0])));
        ps.setLong(7, range.size());
        ps.setBytes(8, range.toBytes());
        ps.setBoolean(9, verified > 0);
        ps.setLong(10, n);
        ps.setLong(11, verified);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) != n) {
            throw new SQLException("sequenced " + rs.getLong(1) + " of " + n
                + " pending proofs", "KC001");
          }
        }
      }
      return new Pass(size, n);
    });
    for (long[] g : given) {
      slots.replace(g[0], WAITING, new long[] {g[1], g[2]});
    }
    return ran;
  }
}
