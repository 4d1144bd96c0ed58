package io.kascompute.dag.jdbc;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A bounded cache (least recently used dropped first) of the pinned keys of one {@link
 * JdbcStores} set, kept correct across coordinators by PostgreSQL {@code LISTEN}/{@code NOTIFY}:
 * every transaction that changes a pinned key notifies channel {@value #CHANNEL} with the node id,
 * and a daemon thread listening on one connection of the set's pool drops that id's entry when
 * the notification arrives (at the change's commit).
 *
 * <p>The cache is used only while it is <em>fresh</em>: the listener is listening and a round
 * trip on its connection that began at most {@code window} ago has completed, every notification
 * delivered before its answer applied. The listener makes such a round trip ({@code SELECT 1})
 * every quarter window. While not fresh (not yet listening, the connection lost or stuck) every
 * lookup goes to the database and nothing is added; a lost connection clears the cache, and the
 * listener reconnects with a growing pause. An entry is added only if no notification and no loss
 * was seen since the lookup's database read began (a generation counter), so a read that raced
 * with a change never leaves the old key behind. The listener starts with the first lookup, so a
 * set whose directory is never asked holds no connection.
 */
final class PinnedKeyCache implements AutoCloseable {
  /** The notification channel of pinned-key changes. */
  static final String CHANNEL = "kc_node_key";

  /** The {@code pg_notify} call of a change: the node id's bytes as hex, or empty (all) if long. */
  static final String NOTIFY =
      "SELECT pg_notify('" + CHANNEL + "', CASE WHEN length(?::bytea) <= 3000"
          + " THEN encode(?::bytea, 'hex') ELSE '' END)";

  /** The listener's {@code application_name}, so operators can find (and tests terminate) it. */
  static final String APPLICATION_NAME = "kascompute-key-listener";

  private static final System.Logger LOG = System.getLogger(PinnedKeyCache.class.getName());
  private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final DataSource dataSource;
  private final int maxEntries;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<NodeId, PublicKeyBytes> entries;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread listener;

  // Guarded by this.
  private long generation;
  private boolean started;
  private boolean listening;
  private long confirmedAt;
  private Connection connection;

  /**
   * A cache of at most {@code maxEntries} keys, trusted for {@code windowNanos} after each
   * completed round trip of the listener, measured by {@code nanoTime}.
   */
  PinnedKeyCache(DataSource dataSource, int maxEntries, long windowNanos, LongSupplier nanoTime) {
    this.dataSource = dataSource;
    this.maxEntries = maxEntries;
    this.windowNanos = windowNanos;
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<NodeId, PublicKeyBytes> eldest) {
        return size() > PinnedKeyCache.this.maxEntries;
      }
    };
    this.listener = new Thread(this::listen, "kascompute-key-listener");
    listener.setDaemon(true);
  }

  /**
   * The pinned key of {@code node}: from the cache when it is fresh and holds the id, else from
   * {@code load} (the database), whose pinned answer is then added if nothing changed meanwhile.
   */
  Optional<PublicKeyBytes> pinnedKey(NodeId node, Supplier<Optional<PublicKeyBytes>> load) {
    long seen;
    synchronized (this) {
      if (!started && closed.getCount() > 0) {
        started = true;
        listener.start();
      }
      if (fresh()) {
        PublicKeyBytes key = entries.get(node);
        if (key != null) {
          return Optional.of(key);
        }
      }
      seen = generation;
    }
    Optional<PublicKeyBytes> loaded = load.get();
    if (loaded.isPresent()) {
      synchronized (this) {
        if (generation == seen && fresh()) {
          entries.put(node, loaded.get());
        }
      }
    }
    return loaded;
  }

  /** Drops {@code node}'s entry: this set changed its key (the notification will follow). */
  synchronized void invalidate(NodeId node) {
    generation++;
    entries.remove(node);
  }

  /** How many keys are cached. */
  synchronized int size() {
    return entries.size();
  }

  /** Whether lookups may be answered from the cache now. */
  synchronized boolean isFresh() {
    return fresh();
  }

  private boolean fresh() {
    return listening && nanoTime.getAsLong() - confirmedAt <= windowNanos;
  }

  /** Stops the listener and closes its connection, waiting up to 5 s for the thread to end. */
  @Override
  public void close() {
    closed.countDown();
    Connection c;
    boolean running;
    synchronized (this) {
      c = connection;
      running = started;
      lost();
    }
    if (!running) {
      return;
    }
    if (c != null) {
      try {
        c.abort(Runnable::run); // ends a blocking read on the listener's socket
      } catch (SQLException | RuntimeException e) {
        LOG.log(Level.DEBUG, "aborting the key listener's connection failed: " + e);
      }
    }
    try {
      listener.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The connection is gone or unusable: stop using the cache and forget what it holds. */
  private void lost() {
    listening = false;
    generation++;
    entries.clear();
  }

  private void listen() {
    long firstPause = TimeUnit.MILLISECONDS.toNanos(100);
    long pause = firstPause;
    while (closed.getCount() > 0) {
      boolean listened = false;
      Connection c = null;
      try {
        c = dataSource.getConnection();
        synchronized (this) {
          connection = c;
        }
        if (closed.getCount() == 0) {
          return;
        }
        serve(c);
      } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
        if (closed.getCount() == 0) {
          return;
        }
        LOG.log(Level.WARNING, "the pinned-key listener lost its PostgreSQL connection (SQL state "
            + sqlState(e) + "); the key cache is bypassed until it listens again");
      } finally {
        synchronized (this) {
          listened = listening;
          connection = null;
          lost();
        }
        if (c != null) {
          release(c);
        }
      }
      if (listened) {
        pause = firstPause; // it was listening: a new outage starts with a short pause again
      }
      try {
        if (closed.await(pause, TimeUnit.NANOSECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }

  /**
   * Hands a failed or aborted connection back. A failure seen through the driver's own
   * notification call bypasses the pool's wrapper, so one statement through the wrapper first
   * lets a pool such as HikariCP see that the connection is broken and discard it, instead of
   * lending it to the next store operation.
   */
  private static void release(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("UNLISTEN *");
      s.execute("RESET application_name");
    } catch (SQLException broken) {
      // the pool has seen the failure
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more can be done with a connection that fails to close
    }
  }

  /** Listens on {@code c} until it fails or the cache closes. */
  private void serve(Connection c) throws SQLException, ReflectiveOperationException {
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    Notifications pg = Notifications.of(c);
    try (Statement s = c.createStatement()) {
      s.execute("SET application_name = '" + APPLICATION_NAME + "'");
      s.execute("LISTEN " + CHANNEL);
      synchronized (this) {
        generation++;
        entries.clear();
        confirmedAt = nanoTime.getAsLong();
        listening = true;
      }
      int waitMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(windowNanos / 4));
      while (closed.getCount() > 0) {
        long start = nanoTime.getAsLong();
        s.execute("SELECT 1");
        apply(pg, pg.received(0));
        synchronized (this) {
          confirmedAt = start;
        }
        apply(pg, pg.received(waitMillis));
      }
    }
  }

  /** Drops the entries the notifications name; an empty or unreadable payload drops everything. */
  private synchronized void apply(Notifications pg, Object[] notifications)
      throws ReflectiveOperationException {
    if (notifications == null || notifications.length == 0) {
      return;
    }
    generation++;
    for (Object n : notifications) {
      String hex = pg.payload(n);
      try {
        if (hex.isEmpty()) {
          entries.clear();
        } else {
          entries.remove(NodeId.of(Codec.string(HexCodec.decode("node id", hex))));
        }
      } catch (RuntimeException unreadable) {
        entries.clear();
      }
    }
  }

  private static String sqlState(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return "none";
  }

  /**
   * pgjdbc's {@code PGConnection.getNotifications()} and {@code getNotifications(int)}, reached by
   * reflection: the SDK does not depend on the PostgreSQL driver, the host adds it.
   */
  private record Notifications(Object pg, Method now, Method waiting, Method parameter) {
    static Notifications of(Connection c) throws SQLException, ReflectiveOperationException {
      Class<?> type;
      try {
        type = Class.forName("org.postgresql.PGConnection", false,
            Thread.currentThread().getContextClassLoader());
      } catch (ClassNotFoundException e) {
        type = Class.forName("org.postgresql.PGConnection", false,
            PinnedKeyCache.class.getClassLoader());
      }
      Class<?> notification =
          Class.forName("org.postgresql.PGNotification", false, type.getClassLoader());
      return new Notifications(c.unwrap(type), type.getMethod("getNotifications"),
          type.getMethod("getNotifications", int.class), notification.getMethod("getParameter"));
    }

    /** What arrived; waits up to {@code millis} for one if none did (0: does not wait). */
    Object[] received(int millis) throws SQLException, ReflectiveOperationException {
      try {
        return (Object[]) (millis == 0 ? now.invoke(pg) : waiting.invoke(pg, millis));
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw e;
      }
    }

    String payload(Object n) throws ReflectiveOperationException {
      String p = (String) parameter.invoke(n);
      return p == null ? "" : p;
    }
  }
}
