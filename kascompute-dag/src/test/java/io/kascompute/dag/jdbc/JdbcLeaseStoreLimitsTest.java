package io.kascompute.dag.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.LeaseStoreLimitsTest;
import io.kascompute.dag.lease.StoreLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The store limits on the PostgreSQL lease store, each test on a fresh database. */
class JdbcLeaseStoreLimitsTest extends LeaseStoreLimitsTest {
  private final List<HikariDataSource> pools = new ArrayList<>();

  @Override
  protected LeaseStore store(StoreLimits limits) {
    HikariDataSource pool = EmbeddedPg.freshPool(2);
    pools.add(pool);
    return JdbcStores.builder(pool).storeLimits(limits).build().leases();
  }

  @Override
  protected int floodDagTasks() {
    return 50;
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }
}
