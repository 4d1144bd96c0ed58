package io.kascompute.testkit.server;

import com.sun.net.httpserver.HttpServer;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.dag.coordinator.Coordinator;
import io.kascompute.dag.coordinator.VerificationPolicy;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.store.CoordinatorStores;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference V1 coordinator over HTTP: a {@link Coordinator} behind the JDK's own {@code
 * HttpServer}, with every V1 endpoint at its V1 path, a request-size limit enforced while reading,
 * a bounded worker pool (overload is answered 503 {@code overloaded}), a job generator for {@code
 * /v1/jobs/next}, and a graceful {@link #close()}.
 *
 * <pre>{@code
 * try (ReferenceServer server = ReferenceServer.builder().port(0).build()) {
 *   int port = server.start();
 *   // point nodes at http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class ReferenceServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReferenceServer.class.getName());
  private static final long GENERATOR_POLL_MILLIS = 50;

  static {
    // The JDK server writes the response head and body separately; without TCP_NODELAY, Nagle's
    // algorithm and the peer's delayed ACK add about 40 ms to every exchange. Read once, when the
    // JDK server's configuration class loads; a value set by the host is respected.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Settings settings;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private HttpServer http;
  private HttpBinding binding;
  private ThreadPoolExecutor workers;
  private ScheduledExecutorService scheduler;
  private Coordinator coordinator;
  private boolean closed;
  private volatile boolean closing;

  private ReferenceServer(Settings settings) {
    this.settings = settings;
  }

  /** A builder with the defaults of {@code kascompute serve}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the store, builds the coordinator, binds the socket and starts serving.
   *
   * @return the bound port (useful with port 0)
   * @throws IOException if the address cannot be bound
   */
  public synchronized int start() throws IOException {
    if (http != null || closed) {
      throw new IllegalStateException("a reference server starts once");
    }
    try {
      CoordinatorStores stores = Stores.open(settings);
      resources.add(stores);
      Coordinator.Builder cb = Coordinator.builder().stores(stores);
      settings.coordinatorKey.ifPresent(cb::signingKey);
      coordinator = cb
          .clock(settings.clock)
          .verificationPolicy(settings.policy)
          .taskLeasePolicy(new LeasePolicy(settings.taskLease, settings.maxAttempts))
          .jobLeasePolicy(new LeasePolicy(settings.jobLease, settings.maxAttempts))
          .maxBodyBytes(settings.maxBodyBytes)
          .build();
      binding = new HttpBinding(coordinator::handle, settings.maxBodyBytes, settings.clock);
      workers = new ThreadPoolExecutor(settings.threads, settings.threads, 60, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(settings.queueCapacity), named("kascompute-http"),
          (r, pool) -> HttpBinding.runRejected(r));
      http = HttpServer.create(new InetSocketAddress(settings.bind, settings.port), 128);
      http.createContext("/", binding);
      http.setExecutor(workers);
      scheduler = Executors.newSingleThreadScheduledExecutor(named("kascompute-scheduler"));
      JobGenerator generator = new JobGenerator(settings.clock, settings.jobInterval,
          settings.minPendingJobs, settings.jobWorkUnitsMin, settings.jobWorkUnitsMax,
          settings.jobSeed, stores.jobs());
      scheduler.scheduleWithFixedDelay(() -> tick(generator), 0, GENERATOR_POLL_MILLIS,
          TimeUnit.MILLISECONDS);
      http.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
    int port = http.getAddress().getPort();
    LOG.log(Level.INFO, "KASCompute reference coordinator listening on " + uri());
    return port;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}; only after {@link #start()}. */
  public URI uri() {
    if (http == null) {
      throw new IllegalStateException("not started");
    }
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort());
  }

  /** The coordinator behind the HTTP binding; only after {@link #start()}. */
  public Coordinator coordinator() {
    if (coordinator == null) {
      throw new IllegalStateException("not started");
    }
    return coordinator;
  }

  private static void tick(JobGenerator generator) {
    try {
      generator.tick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "job generator failed; retrying on the next tick", e);
    }
  }

  /** Requests being handled right now (for tests). */
  int inFlightRequests() {
    return binding == null ? 0 : binding.inFlight();
  }

  /** True once {@link #close()} has begun (for tests). */
  boolean closing() {
    return closing;
  }

  /**
   * Stops gracefully: new requests are refused with 503 {@code overloaded}, requests in flight
   * finish (up to the shutdown grace), then the socket, the workers and the store are closed.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    if (http != null) {
      binding.beginClosing();
      long deadline = System.nanoTime() + settings.shutdownGrace.toNanos();
      try {
        while ((binding.inFlight() > 0 || workers.getActiveCount() > 0 || !workers.getQueue().isEmpty())
            && System.nanoTime() - deadline < 0) {
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      http.stop(0);
    }
    closeQuietly();
    LOG.log(Level.INFO, "KASCompute reference coordinator stopped");
  }

  private void closeQuietly() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (workers != null) {
      workers.shutdown();
      try {
        if (!workers.awaitTermination(settings.shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
          workers.shutdownNow();
        }
      } catch (InterruptedException e) {
        workers.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "failed to close " + resources.get(i), e);
      }
    }
    resources.clear();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The server's settings. */
  record Settings(String bind, int port, Clock clock, Duration taskLease, Duration jobLease,
      int maxAttempts, VerificationPolicy policy, Optional<NodeKeyPair> coordinatorKey,
      Duration jobInterval, int minPendingJobs, long jobWorkUnitsMin, long jobWorkUnitsMax,
      long jobSeed,
      Optional<Jdbc> jdbc, int maxBodyBytes, int threads, int queueCapacity,
      Duration shutdownGrace) {}

  /** PostgreSQL connection settings. */
  record Jdbc(String url, String user, String password) {}

  /** Configures a {@link ReferenceServer}. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private int port = 8080;
    private Clock clock = Clock.systemUTC();
    private Duration taskLease = LeasePolicy.TASK_DEFAULT.leaseDuration();
    private Duration jobLease = LeasePolicy.JOB_DEFAULT.leaseDuration();
    private int maxAttempts = LeasePolicy.TASK_DEFAULT.maxAttempts();
    private VerificationPolicy policy = VerificationPolicy.STRICT;
    private Optional<NodeKeyPair> coordinatorKey = Optional.empty();
    private Duration jobInterval = Duration.ofSeconds(1);
    private int minPendingJobs = 10;
    private long jobWorkUnitsMin = 500_000;
    private long jobWorkUnitsMax = 5_000_000;
    private long jobSeed = System.nanoTime();
    private Optional<Jdbc> jdbc = Optional.empty();
    private int maxBodyBytes = 1 << 20;
    private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private int queueCapacity = 256;
    private Duration shutdownGrace = Duration.ofSeconds(10);

    private Builder() {}

    /** The address to bind (default {@code 127.0.0.1}). */
    public Builder bind(String address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port (default 8080; 0 picks a free one). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The clock of every lease, presence and job decision (default the UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The DAG task lease duration (default 90 s). */
    public Builder taskLease(Duration d) {
      this.taskLease = positive(d, "task lease");
      return this;
    }

    /** The job lease duration (default 60 s). */
    public Builder jobLease(Duration d) {
      this.jobLease = positive(d, "job lease");
      return this;
    }

    /** Grants per task or job before it fails (default 3). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The proof verification policy (default {@code STRICT}). */
    public Builder policy(VerificationPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The coordinator's own Ed25519 key, with which job receipts are signed (default none). */
    public Builder coordinatorKey(NodeKeyPair key) {
      this.coordinatorKey = Optional.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** How often the job generator tops the pool up (default 1 s, by the server's clock). */
    public Builder jobInterval(Duration d) {
      this.jobInterval = positive(d, "job interval");
      return this;
    }

    /** The pending jobs the generator keeps in the shared pool (default 10, like V1; 0 adds none). */
    public Builder minPendingJobs(int jobs) {
      if (jobs < 0) {
        throw new IllegalArgumentException("minPendingJobs must not be negative: " + jobs);
      }
      this.minPendingJobs = jobs;
      return this;
    }

    /**
     * The range generated jobs draw their work units from, inclusive (default 500,000..5,000,000,
     * like the deployed pool: the public launcher then never claims more than a job's units).
     */
    public Builder jobWorkUnits(long min, long max) {
      if (min < 1 || max < min) {
        throw new IllegalArgumentException("job work units need 1 <= min <= max: " + min + ".." + max);
      }
      this.jobWorkUnitsMin = min;
      this.jobWorkUnitsMax = max;
      return this;
    }

    /** The seed of the job generator's work units. */
    public Builder jobSeed(long seed) {
      this.jobSeed = seed;
      return this;
    }

    /** Keeps run state in PostgreSQL (schema installed on start) instead of memory. */
    public Builder jdbc(String url, String user, String password) {
      this.jdbc = Optional.of(new Jdbc(url, user, password));
      return this;
    }

    /** The largest request body, in bytes (default 1 MiB). */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Worker threads (default max(4, 2 x cores)). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Requests that may wait for a worker before new ones get 503 (default 256). */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be at least 1: " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** How long {@link ReferenceServer#close()} lets requests in flight finish (default 10 s). */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = positive(d, "shutdown grace");
      return this;
    }

    /** The server, not yet started. */
    public ReferenceServer build() {
      return new ReferenceServer(new Settings(bind, port, clock, taskLease, jobLease, maxAttempts,
          policy, coordinatorKey, jobInterval, minPendingJobs, jobWorkUnitsMin, jobWorkUnitsMax,
          jobSeed, jdbc,
          maxBodyBytes, threads, queueCapacity, shutdownGrace));
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
