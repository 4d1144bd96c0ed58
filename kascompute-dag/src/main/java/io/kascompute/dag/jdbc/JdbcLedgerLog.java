package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.Subtree;
import io.kascompute.crypto.ledger.SubtreeHashes;
import io.kascompute.dag.internal.LedgerLeaves;
import io.kascompute.dag.internal.LogBounds;
import io.kascompute.dag.ledger.LedgerLog;
import io.kascompute.dag.ledger.RecordedProof;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The verifiable ledger in PostgreSQL ({@code kc_ledger_head}, {@code kc_ledger_subtree}, {@code
 * kc_ledger_leaf}, schema versions 3 and 4): the completing transactions of the job and lease
 * stores append a verified proof's leaf with {@link #append} right after the statement that
 * recorded it, and the directory's rotating transaction a key rotation's with {@link
 * #appendRotation}; both take the ledger index from the {@code kc_proof_head} row and hold it
 * until the commit, so every coordinator on the database appends to one log in one order. Reads fetch the O(log n) subtree hashes a root or
 * proof needs in one query.
 */
final class JdbcLedgerLog implements LedgerLog {
  private static final String NEXT_INDEX =
      "UPDATE kc_proof_head SET entries = entries + 1 WHERE id = 1 RETURNING entries - 1";
  private static final String SIZE = "SELECT size FROM kc_ledger_head WHERE id = 1";
  private static final String BORDER = "SELECT border FROM kc_ledger_head WHERE id = 1 FOR UPDATE";
  private static final String APPEND =
      "WITH s AS (INSERT INTO kc_ledger_subtree (level, idx, hash)"
          + " SELECT t.lvl::smallint, t.ix, substring(?::bytea FROM (t.ord::int - 1) * 32 + 1 FOR 32)"
          + " FROM unnest(?::int[], ?::bigint[]) WITH ORDINALITY AS t(lvl, ix, ord)),"
          + " l AS (INSERT INTO kc_ledger_leaf (idx, leaf) VALUES (?, ?))"
          + " UPDATE kc_ledger_head SET size = ?, border = ? WHERE id = 1";
  private static final String SUBTREES =
      "SELECT level, idx, hash FROM kc_ledger_subtree WHERE (level, idx) IN"
          + " (SELECT u.l::smallint, u.i FROM unnest(?::int[], ?::bigint[]) AS u(l, i))";
  private static final String LEAVES =
      "SELECT idx, leaf FROM kc_ledger_leaf WHERE idx >= ? AND idx < ? ORDER BY idx";
  private static final String FIRST_LEAF = "SELECT coalesce(min(idx), -1) FROM kc_ledger_leaf";
  static final String PRUNE_LEAVES =
      "DELETE FROM kc_ledger_leaf WHERE idx < (SELECT size FROM kc_ledger_head WHERE id = 1) - ?";

  private final Tx tx;

  JdbcLedgerLog(Tx tx) {
    this.tx = tx;
  }

  /**
   * Appends the leaf of {@code recorded} when it has a ledger index, inside the transaction that
   * recorded it: the leaf, the subtree hashes it completes and the new compact range.
   *
   * @throws KasComputeException {@code store_unavailable} if the log's size is not the proof's
   *     ledger index (a store that was changed behind the SDK's back); the transaction rolls back
   */
  static void append(Connection c, RecordedProof recorded) throws SQLException {
    if (recorded.ledgerIndex().isPresent()) {
      append(c, recorded.ledgerIndex().getAsLong(), LedgerLeaves.entry(recorded.proof()).leafBytes(),
          "the proof");
    }
  }

  /**
   * Takes the next ledger index from the {@code kc_proof_head} row for a key rotation and appends
   * its leaf, inside the transaction that applies the rotation.
   *
   * @return the rotation's ledger index
   */
  static long appendRotation(Connection c, KeyRotationEntry rotation) throws SQLException {
    byte[] leaf = rotation.leafBytes();
    long index;
    try (PreparedStatement ps = c.prepareStatement(NEXT_INDEX); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("kc_proof_head has no row", "KC001");
      }
      index = rs.getLong(1);
    }
    append(c, index, leaf, "the key rotation");
    return index;
  }

  private static void append(Connection c, long index, byte[] leaf, String what)
      throws SQLException {
    CompactRange range;
    try (PreparedStatement ps = c.prepareStatement(BORDER); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("kc_ledger_head has no row", "KC001");
      }
      range = CompactRange.fromBytes(rs.getBytes(1));
    }
    if (range.size() != index) {
      throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, "the ledger holds "
          + range.size() + " entries but the proof record gave " + what + " ledger index " + index
          + "; the log was not appended to and nothing was applied");
    }
    List<Integer> levels = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    ByteArrayOutputStream hashes = new ByteArrayOutputStream(128);
    range.append(MerkleTree.leafHash(leaf), (level, idx, hash) -> {
      levels.add(level);
      indexes.add(idx);
      hashes.writeBytes(hash.toByteArray());
    });
    try (PreparedStatement ps = c.prepareStatement(APPEND)) {
      ps.setBytes(1, hashes.toByteArray());
      ps.setArray(2, c.createArrayOf("integer", levels.toArray(new Integer[0])));
      ps.setArray(3, c.createArrayOf("bigint", indexes.toArray(new Long[0])));
      ps.setLong(4, index);
      ps.setBytes(5, leaf);
      ps.setLong(6, range.size());
      ps.setBytes(7, range.toBytes());
      ps.executeUpdate();
    }
  }

  @Override
  public long size() {
    return tx.inStatement("ledger size", JdbcLedgerLog::size);
  }

  @Override
  public Sha256Digest root(long size) {
    return tx.inStatement("ledger root", c -> {
      LogBounds.size("size", size, size(c));
      return MerkleTree.root(size, subtrees(c, MerkleTree.rootReads(size)));
    });
  }

  @Override
  public List<byte[]> leaves(long start, long end) {
    return tx.inStatement("ledger entries", c -> {
      LogBounds.leaves(start, end, size(c));
      List<byte[]> out = new ArrayList<>((int) (end - start));
      try (PreparedStatement ps = c.prepareStatement(LEAVES)) {
        ps.setLong(1, start);
        ps.setLong(2, end);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getLong(1) != start + out.size()) {
              break;
            }
            out.add(rs.getBytes(2));
          }
        }
      }
      if (out.size() < end - start) {
        long missing = start + out.size();
        try (PreparedStatement ps = c.prepareStatement(FIRST_LEAF);
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          throw LogBounds.forgotten(missing, rs.getLong(1));
        }
      }
      return out;
    });
  }

  @Override
  public List<Sha256Digest> inclusionProof(long index, long size) {
    return tx.inStatement("ledger inclusion proof", c -> {
      LogBounds.inclusion(index, size, size(c));
      return MerkleTree.inclusionProof(index, size,
          subtrees(c, MerkleTree.inclusionReads(index, size)));
    });
  }

  @Override
  public List<Sha256Digest> consistencyProof(long first, long second) {
    return tx.inStatement("ledger consistency proof", c -> {
      LogBounds.consistency(first, second, size(c));
      return MerkleTree.consistencyProof(first, second,
          subtrees(c, MerkleTree.consistencyReads(first, second)));
    });
  }

  private static long size(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SIZE); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("kc_ledger_head has no row", "KC001");
      }
      return rs.getLong(1);
    }
  }

  /** The hashes of {@code reads}, fetched in one query. */
  private static SubtreeHashes subtrees(Connection c, List<Subtree> reads) throws SQLException {
    Map<Subtree, Sha256Digest> found = new HashMap<>();
    if (!reads.isEmpty()) {
      Integer[] levels = new Integer[reads.size()];
      Long[] indexes = new Long[reads.size()];
      for (int i = 0; i < levels.length; i++) {
        levels[i] = reads.get(i).level();
        indexes[i] = reads.get(i).index();
      }
      try (PreparedStatement ps = c.prepareStatement(SUBTREES)) {
        ps.setArray(1, c.createArrayOf("integer", levels));
        ps.setArray(2, c.createArrayOf("bigint", indexes));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(new Subtree(rs.getShort(1), rs.getLong(2)), Sha256Digest.of(rs.getBytes(3)));
          }
        }
      }
    }
    return (level, index) -> {
      Sha256Digest h = found.get(new Subtree(level, index));
      if (h == null) {
        throw new KasComputeException(ErrorCode.STORE_UNAVAILABLE, "the ledger's subtree hash"
            + " at level " + level + ", index " + index + " is missing from kc_ledger_subtree");
      }
      return h;
    };
  }
}
