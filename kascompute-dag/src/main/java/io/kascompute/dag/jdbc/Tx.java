package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The transaction template of every JDBC store: one connection per operation, either one
 * transaction or one autocommit statement; deadlocks, serialization failures and unique-key races
 * are retried, every other SQL failure rolls back and becomes {@code STORE_UNAVAILABLE} with
 * nothing applied, and a refusal (a {@link KasComputeException} thrown by the work) rolls back too.
 */
final class Tx {
  /** Tries in all for a retryable failure. */
  static final int MAX_TRIES = 5;

  private final DataSource dataSource;

  Tx(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction. */
  <T> T inTransaction(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      Connection c = null;
      T result;
      try {
        c = dataSource.getConnection();
        c.setAutoCommit(false);
        result = work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        if (c != null) {
          try {
            c.rollback();
          } catch (SQLException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
          }
          release(c);
        }
        if (e instanceof SQLException sql) {
          if (attempt < MAX_TRIES && retryable(sql)) {
            continue;
          }
          throw unavailable(operation, sql);
        }
        throw (RuntimeException) e;
      }
      // Committed: a failure to hand the connection back must not turn success into an error.
      release(c);
      return result;
    }
  }

  /**
   * Runs {@code work}, which issues at most one data-changing statement, in autocommit mode: the
   * statement is its own transaction, with no separate commit round trip.
   */
  <T> T inStatement(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        return work.run(c);
      } catch (SQLException e) {
        if (attempt < MAX_TRIES && retryable(e)) {
          continue;
        }
        throw unavailable(operation, e);
      }
    }
  }

  /**
   * The refusal for a failed operation. The message names the operation and the SQL state, not
   * the driver's or the pool's own text, which can carry host names and pool internals.
   */
  static KasComputeException unavailable(String operation, SQLException e) {
    String state = e.getSQLState() == null ? "none" : e.getSQLState();
    return new KasComputeException(ErrorCode.STORE_UNAVAILABLE,
        operation + " failed in the PostgreSQL store and was not applied (SQL state " + state + ")",
        e);
  }

  private static void release(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection is broken; closing it lets the pool discard it.
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing more can be done with a connection that fails to close.
    }
  }

  /** Deadlock, serialization failure, or a unique-key race that a retry resolves (23505). */
  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
  }
}
