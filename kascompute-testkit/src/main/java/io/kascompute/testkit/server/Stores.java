package io.kascompute.testkit.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.dag.jdbc.JdbcStores;
import io.kascompute.dag.jdbc.JdbcSchema;
import io.kascompute.dag.store.CoordinatorStores;
import java.lang.System.Logger.Level;
import java.time.Duration;

/** Opens the stores a reference server runs on. */
final class Stores {
  private static final System.Logger LOG = System.getLogger(Stores.class.getName());

  /** How long a request waits for a pooled connection before it is answered store_unavailable. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  /** Expired leases are reclaimed this long after expiry, covering clock skew between servers. */
  static final Duration RECLAIM_GRACE = Duration.ofSeconds(5);

  private Stores() {}

  /**
   * The in-memory default, or every store on PostgreSQL through a HikariCP pool with the schema
   * installed (closed with the stores).
   */
  static CoordinatorStores open(ReferenceServer.Settings settings) {
    if (settings.jdbc().isEmpty()) {
      return CoordinatorStores.inMemoryBuilder()
          .storeLimits(settings.storeLimits())
          .directoryLimits(settings.directoryLimits())
          .maxLedgerEntries(settings.maxLedgerEntries())
          .build();
    }
    ReferenceServer.Jdbc jdbc = settings.jdbc().get();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbc.url());
    config.setUsername(jdbc.user());
    config.setPassword(jdbc.password());
    config.setMaximumPoolSize(settings.threads() + 2); // + the key cache's listener
    config.setPoolName("kascompute-serve");
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    HikariDataSource pool = new HikariDataSource(config);
    try {
      int applied = JdbcSchema.install(pool);
      LOG.log(Level.INFO, "PostgreSQL schema at version " + JdbcSchema.currentVersion()
          + " (" + applied + " version(s) applied now)");
      return JdbcStores.builder(pool)
          .reclaimGrace(RECLAIM_GRACE)
          .storeLimits(settings.storeLimits())
          .directoryLimits(settings.directoryLimits())
          .closing(pool)
          .build();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }
}
