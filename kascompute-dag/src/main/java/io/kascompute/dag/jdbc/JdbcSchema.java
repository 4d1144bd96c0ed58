package io.kascompute.dag.jdbc;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Installs the lease-store schema: the versioned SQL files shipped in this package ({@code
 * V1__lease_store.sql}, ...), applied in one transaction under an advisory lock and recorded in
 * {@code kc_schema_version}. Hosts that run their own migrations can apply the same files instead.
 */
public final class JdbcSchema {
  private JdbcSchema() {}

  /** The schema version this SDK needs. */
  public static int currentVersion() {
    return PostgresDialect.SCHEMA_FILES.size();
  }

  /** The schema files in version order, as resource names next to this class. */
  public static List<String> scripts() {
    return PostgresDialect.SCHEMA_FILES;
  }

  /**
   * Applies every schema version missing from the database; safe to call on every start and from
   * several processes at once.
   *
   * @return the number of versions applied by this call (0 when the schema was up to date)
   * @throws KasComputeException {@code STORE_UNAVAILABLE} if the database fails; nothing is applied
   */
  public static int install(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int applied = installIn(c);
        c.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new KasComputeException(
          ErrorCode.STORE_UNAVAILABLE,
          "installing the lease-store schema failed and was rolled back: " + e.getMessage(),
          e);
    }
  }

  private static int installIn(Connection c) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(PostgresDialect.INSTALL_LOCK)) {
      lock.setLong(1, PostgresDialect.INSTALL_LOCK_KEY);
      lock.execute();
    }
    try (Statement s = c.createStatement()) {
      s.execute(PostgresDialect.CREATE_VERSION_TABLE);
    }
    Set<Integer> installed = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(PostgresDialect.SELECT_VERSIONS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        installed.add(rs.getInt(1));
      }
    }
    int applied = 0;
    List<String> files = PostgresDialect.SCHEMA_FILES;
    for (int v = 1; v <= files.size(); v++) {
      if (installed.contains(v)) {
        continue;
      }
      String file = files.get(v - 1);
      try (Statement s = c.createStatement()) {
        s.execute(read(file));
      }
      try (PreparedStatement ps = c.prepareStatement(PostgresDialect.INSERT_VERSION)) {
        ps.setInt(1, v);
        ps.setString(2, file);
        ps.executeUpdate();
      }
      applied++;
    }
    return applied;
  }

  private static String read(String file) throws SQLException {
    try (InputStream in = JdbcSchema.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new SQLException("schema file " + file + " is missing from the SDK jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SQLException("cannot read schema file " + file, e);
    }
  }
}
