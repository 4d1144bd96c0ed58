package io.kascompute.dag.jdbc;

import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.lease.StoreLimits;
import io.kascompute.dag.store.CoordinatorStores;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Everything a coordinator remembers, in PostgreSQL (13+) through one host {@link DataSource}:
 * DAGs, runs and leases, the node directory, plain jobs and the record of accepted proofs. Every
 * coordinator whose stores are on the same database shares one state, and a restarted coordinator
 * continues where it stopped.
 *
 * <pre>{@code
 * JdbcSchema.install(dataSource);                    // applies missing schema versions
 * CoordinatorStores stores = JdbcStores.builder(dataSource)
 *     .reclaimGrace(Duration.ofSeconds(5))           // several coordinators: 5 s clock skew
 *     .closing(dataSource)                           // closed with the set
 *     .build();
 * Coordinator coordinator = Coordinator.builder().stores(stores).build();
 * }</pre>
 *
 * <p>The data source is usually a HikariCP pool (the SDK depends on neither HikariCP nor the
 * PostgreSQL driver; the host adds both); each operation borrows one connection. Install the
 * schema first with {@link JdbcSchema#install(DataSource)}.
 */
public final class JdbcStores {
  /** Proofs the record keeps by default (older ones are forgotten from its views). */
  public static final long DEFAULT_RETAINED_PROOFS = 10_000_000L;

  /** Finished jobs remembered by default. */
  public static final long DEFAULT_RETAINED_JOBS = 100_000L;

  /** Seconds of per-second proof totals kept by default: the longest metrics window served. */
  public static final long DEFAULT_WINDOW_SECONDS = 3600;

  /** Compiled DAGs each store set keeps in memory by default. */
  public static final int DEFAULT_CACHED_DAGS = 64;

  /** Runs' fixed facts each store set keeps in memory by default. */
  public static final int DEFAULT_CACHED_RUNS = 4096;

  /** Pinned keys each set's node directory caches by default. */
  public static final int DEFAULT_CACHED_KEYS = 65_536;

  /** How long after its listener's latest round trip a set trusts its pinned-key cache by default. */
  public static final Duration DEFAULT_KEY_CACHE_WINDOW = Duration.ofSeconds(1);

  private JdbcStores() {}

  /** A set on {@code dataSource} with the defaults (no reclaim grace: one coordinator). */
  public static CoordinatorStores create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a set on {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Configures a set of PostgreSQL stores. */
  public static final class Builder {
    private final DataSource dataSource;
    private Duration reclaimGrace = Duration.ZERO;
    private DirectoryLimits directoryLimits = DirectoryLimits.DEFAULT;
    private StoreLimits storeLimits = StoreLimits.DEFAULT;
    private long retainedProofs = DEFAULT_RETAINED_PROOFS;
    private long retainedJobs = DEFAULT_RETAINED_JOBS;
    private long windowSeconds = DEFAULT_WINDOW_SECONDS;
    private int cachedDags = DEFAULT_CACHED_DAGS;
    private int cachedRuns = DEFAULT_CACHED_RUNS;
    private int cachedKeys = DEFAULT_CACHED_KEYS;
    private Duration keyCacheWindow = DEFAULT_KEY_CACHE_WINDOW;
    private AutoCloseable resources = () -> {};

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * How long after its expiry an expired task or job lease is reclaimed (default zero): only
     * when {@code now >= expiry + grace}. With a grace at least as large as the largest clock
     * difference between coordinators, a lease that its owner's coordinator still considers live
     * is never granted to another node (5 s with NTP-synchronised hosts).
     */
    public Builder reclaimGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("reclaimGrace must not be negative: " + grace);
      }
      this.reclaimGrace = grace;
      return this;
    }

    /** The node directory's bounds (default {@link DirectoryLimits#DEFAULT}); shared by every coordinator. */
    public Builder directoryLimits(DirectoryLimits limits) {
      this.directoryLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The lease store's run and DAG bounds (default {@link StoreLimits#DEFAULT}); shared by every
     * coordinator, since run creation takes one database-wide advisory lock.
     */
    public Builder storeLimits(StoreLimits limits) {
      this.storeLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How many of the newest accepted proofs the record keeps (default {@value
     * #DEFAULT_RETAINED_PROOFS}); older ones are deleted in batches and answer as forgotten
     * (their jobs and tasks stay completed).
     */
    public Builder retainedProofs(long proofs) {
      if (proofs < 1) {
        throw new IllegalArgumentException("retainedProofs must be at least 1: " + proofs);
      }
      this.retainedProofs = proofs;
      return this;
    }

    /** How many finished jobs are remembered (default {@value #DEFAULT_RETAINED_JOBS}). */
    public Builder retainedJobs(long jobs) {
      if (jobs < 1) {
        throw new IllegalArgumentException("retainedJobs must be at least 1: " + jobs);
      }
      this.retainedJobs = jobs;
      return this;
    }

    /**
     * How many seconds of per-second proof totals are kept for metrics windows (default {@value
     * #DEFAULT_WINDOW_SECONDS}); a longer window counts only the seconds kept.
     */
    public Builder windowSeconds(long seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException("windowSeconds must be at least 1: " + seconds);
      }
      this.windowSeconds = seconds;
      return this;
    }

    /**
     * How many compiled DAGs and runs' fixed facts this set caches in memory (defaults {@value
     * #DEFAULT_CACHED_DAGS} and {@value #DEFAULT_CACHED_RUNS}; least recently used dropped
     * first). DAGs and runs never change, so the caches are never stale.
     */
    public Builder caches(int dags, int runs) {
      if (dags < 0 || runs < 0) {
        throw new IllegalArgumentException("cache sizes must not be negative");
      }
      this.cachedDags = dags;
      this.cachedRuns = runs;
      return this;
    }

    /**
     * How many pinned keys the node directory caches (default {@value #DEFAULT_CACHED_KEYS}; 0
     * turns the cache off), for the window {@link #DEFAULT_KEY_CACHE_WINDOW}.
     *
     * @see #keyCache(int, Duration)
     */
    public Builder keyCache(int entries) {
      return keyCache(entries, DEFAULT_KEY_CACHE_WINDOW);
    }

    /**
     * How many pinned keys the node directory caches (0 turns the cache off), and the window: the
     * longest time after another coordinator committed a key rotation during which this set may
     * still answer the old key. The cache listens for rotations on one connection of the data
     * source that it holds while the set is open (PostgreSQL {@code LISTEN}), and is trusted only
     * while a round trip on that connection completed within the window; otherwise every lookup
     * reads the database.
     */
    public Builder keyCache(int entries, Duration window) {
      Objects.requireNonNull(window, "window");
      if (entries < 0) {
        throw new IllegalArgumentException("keyCache entries must not be negative: " + entries);
      }
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("keyCache window must be within (0, 1 min]: " + window);
      }
      this.cachedKeys = entries;
      this.keyCacheWindow = window;
      return this;
    }

    /** What {@link CoordinatorStores#close()} closes, usually the pool (default nothing). */
    public Builder closing(AutoCloseable resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** Builds the set. */
    public CoordinatorStores build() {
      Tx tx = new Tx(dataSource);
      long grace = reclaimGrace.toNanos();
      JdbcProofLedger ledger = new JdbcProofLedger(tx, retainedProofs, windowSeconds);
      Optional<PinnedKeyCache> keys = cachedKeys == 0 ? Optional.empty()
          : Optional.of(new PinnedKeyCache(dataSource, cachedKeys, keyCacheWindow.toNanos(),
              System::nanoTime));
      AutoCloseable host = resources;
      AutoCloseable closing = keys.isEmpty() ? host : () -> {
        try (host) {
          keys.get().close();
        }
      };
      return CoordinatorStores.of(
          new JdbcLeaseStore(tx, new DagCatalogue(tx, cachedDags, cachedRuns), ledger, grace,
              storeLimits),
          new JdbcNodeDirectory(tx, directoryLimits, keys),
          new JdbcJobStore(tx, ledger, grace, retainedJobs),
          ledger,
          closing);
    }
  }
}
