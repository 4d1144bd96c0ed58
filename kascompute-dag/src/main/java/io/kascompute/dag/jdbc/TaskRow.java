package io.kascompute.dag.jdbc;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.lease.LeaseState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** A {@code kc_task} row as the refusal checks read it, locked for the rest of the transaction. */
record TaskRow(
    LeaseState state, long epoch, Optional<NodeId> owner, boolean claimed, long expiryNanos,
    int attempts, byte[] proofHash, int[] unlocked) {

  /** Locks the task row and reads it. */
  static TaskRow lock(Connection c, RunId run, int index) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TaskSql.LOCK_TASK)) {
      ps.setString(1, run.value());
      ps.setInt(2, index);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("task row " + index + " of run " + run.value() + " is missing");
        }
        byte[] owner = rs.getBytes(3);
        return new TaskRow(LeaseState.ofCode(rs.getInt(1)), rs.getLong(2),
            owner == null ? Optional.empty() : Optional.of(NodeId.of(Codec.string(owner))),
            rs.getBoolean(4), rs.getLong(5), rs.getInt(6), rs.getBytes(7), Sql.ints(rs.getArray(8)));
      }
    }
  }

  /** The lease as {@link LeaseRules} sees it. */
  LeaseRules.Claim claim() {
    return new LeaseRules.Claim(state, epoch, owner, claimed, expiryNanos);
  }
}
