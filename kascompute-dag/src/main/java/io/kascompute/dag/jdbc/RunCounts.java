package io.kascompute.dag.jdbc;

import io.kascompute.core.RunId;
import io.kascompute.core.wire.RunState;
import io.kascompute.dag.lease.LeaseRules;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A run's task counts, the sums over its {@code kc_run_count} shards. */
record RunCounts(int total, int pending, int ready, int running, int completed, int failed) {

  /**
   * Reads pending, ready, running, completed and failed from five columns starting at {@code
   * from}; counts that do not add up to {@code total} are a corrupted store.
   */
  static RunCounts read(ResultSet rs, int from, int total, RunId run) throws SQLException {
    RunCounts counts = new RunCounts(total, rs.getInt(from), rs.getInt(from + 1),
        rs.getInt(from + 2), rs.getInt(from + 3), rs.getInt(from + 4));
    if (counts.pending + counts.ready + counts.running + counts.completed + counts.failed != total) {
      throw new SQLException("task counters of run " + run.value() + " do not add up");
    }
    return counts;
  }

  /** The run's state by the shared rule. */
  RunState state() {
    return LeaseRules.runState(total, ready, running, completed, failed);
  }
}
