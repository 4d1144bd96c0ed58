package io.kascompute.dag.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The one embedded PostgreSQL of a test JVM, shared by every test that needs a database (in this
 * module and, through this module's test jar, in the testkit): started once on first use and
 * stopped when the JVM exits; every caller gets a database of its own.
 *
 * <pre>{@code
 * String url = EmbeddedPg.freshDatabase();           // an empty database
 * try (HikariDataSource a = EmbeddedPg.pool(url, 4);   // two coordinators' pools on it
 *     HikariDataSource b = EmbeddedPg.pool(url, 4)) {
 *   JdbcSchema.install(a);
 *   CoordinatorStores one = JdbcStores.create(a), two = JdbcStores.create(b);
 * }
 * }</pre>
 */
public final class EmbeddedPg {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private EmbeddedPg() {}

  /** The server, started on first use. */
  public static synchronized EmbeddedPostgres instance() {
    if (postgres == null) {
      try {
        // Tests do not need commits to survive a power cut; skipping the WAL flush keeps them fast.
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
    return postgres;
  }

  /** Creates an empty database and returns its JDBC URL (user {@code postgres}, no password). */
  public static String freshDatabase() {
    String name = "kc_test_" + DATABASES.incrementAndGet();
    try (Connection c = instance().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return instance().getJdbcUrl("postgres", name);
  }

  /** A HikariCP pool of at most {@code size} connections on {@code url}, failing fast (2 s). */
  public static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(2_000);
    return new HikariDataSource(config);
  }

  /**
   * Empties a database that {@link #freshPool} made: drops every table and reinstalls the current
   * schema, so that the stores on it start as on a new database.
   */
  public static void empty(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA public CASCADE");
      s.execute("CREATE SCHEMA public");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    JdbcSchema.install(dataSource);
  }

  /** A fresh database with the current schema installed, behind a pool. */
  public static HikariDataSource freshPool(int size) {
    HikariDataSource ds = pool(freshDatabase(), size);
    JdbcSchema.install(ds);
    return ds;
  }
}
