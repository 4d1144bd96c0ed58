package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodeDirectory;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.store.CoordinatorStores;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The pinned-key cache of the PostgreSQL node directory, with two store sets on one database (as
 * two coordinators): a rotation through one is seen by the other's cache through {@code NOTIFY},
 * a lost listener connection makes the cache step aside until it listens again, and the cache
 * holds at most its bound.
 *
 * <p>Whether an answer came from the cache is told apart by changing a row behind the stores'
 * back (SQL without {@code NOTIFY}): a cached key is the old one, a database read the new one.
 */
class PinnedKeyCacheTest {
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
  private static final NodeId X = NodeId.of("node-x");
  private static final PublicKeyBytes K1 = key(1);
  private static final PublicKeyBytes K2 = key(2);
  private static final PublicKeyBytes K3 = key(3);
  private static final NodePresence PRESENCE =
      new NodePresence(List.of("node"), Optional.empty(), "kc/1.0", Optional.empty());
  /** Bound of every wait for an asynchronous delivery (a notification, a reconnect). */
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void aRotationThroughOneSetDropsTheOtherSetsCachedKey() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (CoordinatorStores a = open(url, JdbcStores.DEFAULT_CACHED_KEYS);
        CoordinatorStores b = open(url, JdbcStores.DEFAULT_CACHED_KEYS)) {
      a.directory().heartbeat(X, K1, true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, T0);
      PinnedKeyCache cacheB = cache(b);
      assertThat(b.directory().pinnedKey(X)).contains(K1); // starts B's listener
      await(cacheB::isFresh);
      assertThat(b.directory().pinnedKey(X)).contains(K1);
      assertThat(cacheB.size()).isEqualTo(1);
      setKeySilently(url, X, K3);
      assertThat(b.directory().pinnedKey(X)).as("answered from B's cache").contains(K1);
      setKeySilently(url, X, K1);

      a.directory().rotate(new KeyRotation(X, K1, K2, KeyEvidence.OPERATOR, Optional.empty(), 1,
          T0.plusSeconds(1), "a"));
      await(() -> cacheB.size() == 0);
      assertThat(b.directory().pinnedKey(X)).contains(K2);
      assertThat(b.directory().pinnedKey(X)).contains(K2);
      assertThat(cacheB.size()).isEqualTo(1);
    }
  }

  @Test
  void aRotationThroughASetDropsItsOwnEntryBeforeItReturns() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (CoordinatorStores a = open(url, JdbcStores.DEFAULT_CACHED_KEYS)) {
      NodeDirectory d = a.directory();
      d.heartbeat(X, K1, true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, T0);
      d.pinnedKey(X);
      await(cache(a)::isFresh);
      assertThat(d.pinnedKey(X)).contains(K1);
      assertThat(cache(a).size()).isEqualTo(1);
      d.rotate(new KeyRotation(X, K1, K2, KeyEvidence.OPERATOR, Optional.empty(), 1, T0, "d"));
      assertThat(d.pinnedKey(X)).contains(K2);
    }
  }

  @Test
  void aLostListenerConnectionBypassesAndClearsTheCacheUntilItListensAgain() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (HikariDataSource pool = EmbeddedPg.pool(url, 4)) {
      JdbcSchema.install(pool);
      Gate gate = new Gate(pool);
      try (PinnedKeyCache cache = new PinnedKeyCache(gate, 100, TimeUnit.SECONDS.toNanos(1),
          System::nanoTime)) {
        NodeDirectory d = new JdbcNodeDirectory(new Tx(pool), DirectoryLimits.DEFAULT,
            Optional.of(cache));
        d.heartbeat(X, K1, true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, T0);
        d.pinnedKey(X);
        await(cache::isFresh);
        assertThat(d.pinnedKey(X)).contains(K1);
        assertThat(cache.size()).isEqualTo(1);

        gate.open.set(false); // the listener cannot reconnect until the gate opens
        assertThat(terminateListeners(url)).isEqualTo(1);
        await(() -> !cache.isFresh());
        assertThat(cache.size()).as("cleared when the connection was lost").isZero();
        setKeySilently(url, X, K2);
        assertThat(d.pinnedKey(X)).as("read from the database").contains(K2);
        assertThat(d.pinnedKey(X)).contains(K2);
        assertThat(cache.size()).as("nothing added while not listening").isZero();

        gate.open.set(true);
        await(cache::isFresh);
        assertThat(d.pinnedKey(X)).contains(K2);
        assertThat(cache.size()).isEqualTo(1);
        setKeySilently(url, X, K3);
        assertThat(d.pinnedKey(X)).as("cached again once listening").contains(K2);
      }
    }
  }

  @Test
  void aCacheThatNeverListensAlwaysReadsTheDatabase() {
    Gate closed = new Gate(EmbeddedPg.pool(EmbeddedPg.freshDatabase(), 1));
    closed.open.set(false);
    try (PinnedKeyCache cache = new PinnedKeyCache(closed, 100, TimeUnit.SECONDS.toNanos(1),
        System::nanoTime)) {
      AtomicInteger reads = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        assertThat(cache.pinnedKey(X, () -> {
          reads.incrementAndGet();
          return Optional.of(K1);
        })).contains(K1);
      }
      assertThat(reads).hasValue(3);
      assertThat(cache.size()).isZero();
    } finally {
      closed.pool.close();
    }
  }

  @Test
  void aReadThatRacedWithAChangeIsNotCached() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (HikariDataSource pool = EmbeddedPg.pool(url, 2);
        PinnedKeyCache cache = new PinnedKeyCache(pool, 100, TimeUnit.SECONDS.toNanos(1),
            System::nanoTime)) {
      cache.pinnedKey(X, Optional::empty);
      await(cache::isFresh);
      // A change (here this set's own; a notification does the same) lands during the read.
      assertThat(cache.pinnedKey(X, () -> {
        cache.invalidate(X);
        return Optional.of(K1);
      })).contains(K1);
      assertThat(cache.size()).isZero();
      assertThat(cache.pinnedKey(X, () -> Optional.of(K2))).contains(K2);
      assertThat(cache.pinnedKey(X, () -> Optional.of(K3))).as("cached").contains(K2);
    }
  }

  @Test
  void theCacheHoldsAtMostItsBoundAndDropsTheLeastRecentlyUsed() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (CoordinatorStores a = open(url, 3)) {
      NodeDirectory d = a.directory();
      for (int i = 0; i < 5; i++) {
        d.heartbeat(NodeId.of("n" + i), key(10 + i), true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE,
            T0);
      }
      d.pinnedKey(NodeId.of("n0"));
      await(cache(a)::isFresh);
      for (int i = 0; i < 5; i++) {
        assertThat(d.pinnedKey(NodeId.of("n" + i))).contains(key(10 + i));
        assertThat(cache(a).size()).isLessThanOrEqualTo(3);
      }
      assertThat(cache(a).size()).isEqualTo(3);
      setKeySilently(url, NodeId.of("n1"), K3);
      setKeySilently(url, NodeId.of("n4"), K3);
      assertThat(d.pinnedKey(NodeId.of("n1"))).as("dropped, read again").contains(K3);
      assertThat(d.pinnedKey(NodeId.of("n4"))).as("kept").contains(key(14));
    }
  }

  @Test
  void aZeroBoundTurnsTheCacheOff() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (CoordinatorStores a = open(url, 0)) {
      assertThat(((JdbcNodeDirectory) a.directory()).cache()).isEmpty();
      a.directory().heartbeat(X, K1, true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, T0);
      assertThat(a.directory().pinnedKey(X)).contains(K1);
      setKeySilently(url, X, K2);
      assertThat(a.directory().pinnedKey(X)).contains(K2);
    }
  }

  @Test
  void onlyPinnedKeysAreCached() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (CoordinatorStores a = open(url, JdbcStores.DEFAULT_CACHED_KEYS)) {
      NodeDirectory d = a.directory();
      d.heartbeat(X, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, PRESENCE, T0);
      d.pinnedKey(X);
      await(cache(a)::isFresh);
      assertThat(d.pinnedKey(X)).isEmpty();
      assertThat(d.pinnedKey(NodeId.of("unknown"))).isEmpty();
      assertThat(cache(a).size()).isZero();
      d.pinClaimedKey(X, K1, T0);
      assertThat(d.pinnedKey(X)).contains(K1);
      assertThat(cache(a).size()).isEqualTo(1);
    }
  }

  private static CoordinatorStores open(String url, int cachedKeys) {
    HikariDataSource pool = EmbeddedPg.pool(url, 4);
    JdbcSchema.install(pool);
    return JdbcStores.builder(pool).keyCache(cachedKeys).closing(pool).build();
  }

  private static PinnedKeyCache cache(CoordinatorStores s) {
    return ((JdbcNodeDirectory) s.directory()).cache().orElseThrow();
  }

  /** Changes a node's stored key without notifying anyone: what only a database read can see. */
  private static void setKeySilently(String url, NodeId node, PublicKeyBytes key)
      throws SQLException {
    try (Connection c = EmbeddedPg.instance().getDatabase("postgres", dbName(url)).getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE kc_node SET public_key = ? WHERE node_id = ?")) {
      ps.setBytes(1, key.toByteArray());
      ps.setBytes(2, Codec.text(node.value()));
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static int terminateListeners(String url) throws SQLException {
    try (Connection c = EmbeddedPg.instance().getDatabase("postgres", dbName(url)).getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = ? AND datname = current_database()")) {
      ps.setString(1, PinnedKeyCache.APPLICATION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static String dbName(String url) {
    String path = url.substring(url.lastIndexOf('/') + 1);
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** Waits, up to {@link #DEADLINE}, for an asynchronous delivery. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s", DEADLINE).isLessThan(end);
      Thread.sleep(5);
    }
  }

  private static PublicKeyBytes key(int seed) {
    byte[] b = new byte[32];
    b[0] = (byte) seed;
    b[31] = 7;
    return PublicKeyBytes.of(b);
  }

  /** A data source that refuses connections while its gate is closed. */
  private static final class Gate implements DataSource {
    final HikariDataSource pool;
    final AtomicBoolean open = new AtomicBoolean(true);

    Gate(HikariDataSource pool) {
      this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (!open.get()) {
        throw new SQLException("the gate is closed", "08001");
      }
      return pool.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
