package io.kascompute.dag.jdbc;

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
 * Installs and upgrades the schema of the PostgreSQL stores: the versioned SQL files shipped in
 * this package ({@code V1__lease_store.sql}, {@code V2__coordinator_stores.sql}, ...), applied in
 * version order in one transaction under an advisory lock and recorded in {@code
 * kc_schema_version}. A database created by an earlier release upgrades in place. Hosts that run
 * their own migrations can apply the same files instead.
 */
public final class JdbcSchema {
  /** Schema files in version order; file {@code i} holds version {@code i + 1}. */
  private static final List<String> FILES =
      List.of("V1__lease_store.sql", "V2__coordinator_stores.sql", "V3__ledger.sql",
          "V4__ledger_rotations.sql");

  /** Advisory lock key that serializes concurrent installers ("kcschema" in ASCII). */
  private static final long LOCK_KEY = 0x6b63736368656d61L;

  private static final String LOCK = "SELECT pg_advisory_xact_lock(?)";
  private static final String CREATE_VERSION_TABLE =
      "CREATE TABLE IF NOT EXISTS kc_schema_version ("
          + "version integer PRIMARY KEY, script text NOT NULL, "
          + "installed_at timestamptz NOT NULL DEFAULT now())";
  private static final String SELECT_VERSIONS = "SELECT version FROM kc_schema_version";
  private static final String INSERT_VERSION =
      "INSERT INTO kc_schema_version (version, script) VALUES (?, ?)";

  private JdbcSchema() {}

  /** The schema version this SDK needs. */
  public static int currentVersion() {
    return FILES.size();
  }

  /** The schema files in version order, as resource names next to this class. */
  public static List<String> scripts() {
    return FILES;
  }

  /**
   * Applies every schema version missing from the database; safe to call on every start and from
   * several processes at once.
   *
   * @return the number of versions applied by this call (0 when the schema was up to date)
   * @throws KasComputeException {@code STORE_UNAVAILABLE} if the database fails; nothing is applied
   */
  public static int install(DataSource dataSource) {
    return installUpTo(dataSource, currentVersion());
  }

  /**
   * Applies the missing versions up to {@code version} only, as an older release would have: for
   * tests of upgrades and for hosts that upgrade step by step.
   *
   * @throws IllegalArgumentException if {@code version} is not between 1 and {@link
   *     #currentVersion()}
   * @throws KasComputeException {@code STORE_UNAVAILABLE} if the database fails; nothing is applied
   */
  public static int installUpTo(DataSource dataSource, int version) {
    if (version < 1 || version > currentVersion()) {
      throw new IllegalArgumentException("no schema version " + version);
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int applied = installIn(c, version);
        c.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Tx.unavailable("installing the schema", e);
    }
  }

  private static int installIn(Connection c, int upTo) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(LOCK)) {
      lock.setLong(1, LOCK_KEY);
      lock.execute();
    }
    try (Statement s = c.createStatement()) {
      s.execute(CREATE_VERSION_TABLE);
    }
    Set<Integer> installed = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(SELECT_VERSIONS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        installed.add(rs.getInt(1));
      }
    }
    int applied = 0;
    for (int v = 1; v <= upTo; v++) {
      if (installed.contains(v)) {
        continue;
      }
      String file = FILES.get(v - 1);
      try (Statement s = c.createStatement()) {
        s.execute(read(file));
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT_VERSION)) {
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
