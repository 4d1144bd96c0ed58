package io.kascompute.testkit.lease;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.dag.jdbc.JdbcLeaseStore;
import io.kascompute.dag.jdbc.JdbcSchema;
import io.kascompute.dag.lease.LeaseStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lease-store contract on {@link JdbcLeaseStore} against a real PostgreSQL; every test gets a
 * fresh store handle on one shared, schema-installed database (the contract's tests use DAG names
 * unique to each test, so they do not see each other's runs).
 */
class PostgresLeaseStoreTest extends LeaseStoreContract {
  private static EmbeddedPostgres postgres;
  private static HikariDataSource dataSource;

  @BeforeAll
  static void startPostgres() throws IOException, SQLException {
    postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE kc_contract");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.getJdbcUrl("postgres", "kc_contract"));
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    dataSource = new HikariDataSource(config);
    JdbcSchema.install(dataSource);
  }

  @AfterAll
  static void stopPostgres() {
    dataSource.close();
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected LeaseStore newStore() {
    return JdbcLeaseStore.create(dataSource);
  }
}
