package io.kascompute.testkit.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.dag.jdbc.JdbcLeaseStore;
import io.kascompute.dag.jdbc.JdbcSchema;
import io.kascompute.dag.lease.LeaseStore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/** Opens the lease store a reference server runs on. */
final class Stores {
  private static final System.Logger LOG = System.getLogger(Stores.class.getName());

  /** Expired leases are reclaimed this long after expiry, covering clock skew between servers. */
  static final Duration RECLAIM_GRACE = Duration.ofSeconds(5);

  private Stores() {}

  /**
   * A store and what to close with it.
   *
   * @param store the store, or empty for the coordinator's default in-memory store
   */
  record Opened(Optional<LeaseStore> store, Optional<AutoCloseable> closeable) {}

  /** The in-memory default, or a PostgreSQL store on a HikariCP pool with the schema installed. */
  static Opened open(ReferenceServer.Settings settings) {
    if (settings.jdbc().isEmpty()) {
      return new Opened(Optional.empty(), Optional.empty());
    }
    ReferenceServer.Jdbc jdbc = settings.jdbc().get();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbc.url());
    config.setUsername(jdbc.user());
    config.setPassword(jdbc.password());
    config.setMaximumPoolSize(settings.threads() + 1);
    config.setPoolName("kascompute-serve");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      int applied = JdbcSchema.install(pool);
      LOG.log(Level.INFO, "PostgreSQL schema at version " + JdbcSchema.currentVersion()
          + " (" + applied + " version(s) applied now)");
      LeaseStore store = JdbcLeaseStore.builder(pool).reclaimGrace(RECLAIM_GRACE).build();
      return new Opened(Optional.of(store), Optional.of(pool));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }
}
