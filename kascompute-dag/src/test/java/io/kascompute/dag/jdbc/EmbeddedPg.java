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

/** One embedded PostgreSQL for every test class of the JVM; each caller gets a fresh database. */
final class EmbeddedPg {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private EmbeddedPg() {}

  static synchronized EmbeddedPostgres instance() {
    if (postgres == null) {
      try {
        // Tests do not need commits to survive a power cut; skipping the WAL flush keeps them fast.
        postgres =
            EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException ignored) {
                      // the JVM is exiting
                    }
                  }));
    }
    return postgres;
  }

  /** Creates an empty database and returns its JDBC URL. */
  static String freshDatabase() {
    String name = "kc_test_" + DATABASES.incrementAndGet();
    try (Connection c = instance().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return instance().getJdbcUrl("postgres", name);
  }

  /** A HikariCP pool on {@code url}. */
  static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  /** A fresh database with the schema installed, behind a small pool. */
  static HikariDataSource freshPool(int size) {
    HikariDataSource ds = pool(freshDatabase(), size);
    JdbcSchema.install(ds);
    return ds;
  }
}
