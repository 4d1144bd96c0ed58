package io.kascompute.testkit.store;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.jdbc.EmbeddedPg;
import io.kascompute.dag.jdbc.JdbcStores;
import io.kascompute.dag.store.CoordinatorStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every store kit on the PostgreSQL set, on the JVM's one embedded PostgreSQL: one database for
 * the class, emptied before each test (each test asks for a fresh, empty set).
 */
class PostgresStoresTest extends CoordinatorStoresContract {
  private static HikariDataSource dataSource;

  @BeforeAll
  static void createDatabase() {
    dataSource = EmbeddedPg.freshPool(4);
  }

  @AfterAll
  static void dropPool() {
    dataSource.close();
  }

  @Override
  protected CoordinatorStores newStores(DirectoryLimits limits) {
    EmbeddedPg.empty(dataSource);
    return JdbcStores.builder(dataSource).directoryLimits(limits).build();
  }
}
