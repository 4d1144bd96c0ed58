package io.kascompute.testkit.server;

import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.dag.DagAdmission;
import io.kascompute.dag.coordinator.Coordinator;
import io.kascompute.dag.coordinator.VerificationPolicy;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.StoreLimits;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The reference V1 coordinator over HTTP: a {@link Coordinator} behind a Netty HTTP/1.1 transport,
 * with every V1 endpoint at its V1 path; request line, headers and body read without blocking under
 * deadlines and size bounds; a bounded worker pool and bounded connections and buffered bodies
 * (overload is answered 503 {@code overloaded} with {@code Retry-After}); a job generator for {@code
 * /v1/jobs/next}; a graceful {@link #close()} bounded by the shutdown grace; and an {@link Error}
 * in any server thread ending the JVM (exit status 3, one line on standard error).
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

  private final Settings settings;
  private final UnaryOperator<RequestHandler> handlerWrapper;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private HttpBinding binding;
  private InetSocketAddress address;
  private ScheduledExecutorService scheduler;
  private Coordinator coordinator;
  private boolean closed;
  private volatile boolean closing;

  private ReferenceServer(Settings settings, UnaryOperator<RequestHandler> handlerWrapper) {
    this.settings = settings;
    this.handlerWrapper = handlerWrapper;
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
    if (binding != null || closed) {
      throw new IllegalStateException("a reference server starts once");
    }
    try {
      CoordinatorStores stores = Stores.open(settings);
      resources.add(stores);
      Coordinator.Builder cb = Coordinator.builder().stores(stores);
      settings.coordinatorKey.ifPresent(cb::signingKey);
      settings.ledgerOrigin.ifPresent(cb::ledgerOrigin);
      coordinator = cb
          .clock(settings.clock)
          .verificationPolicy(settings.policy)
          .dagAdmission(settings.dagAdmission)
          .taskLeasePolicy(new LeasePolicy(settings.taskLease, settings.maxAttempts))
          .jobLeasePolicy(new LeasePolicy(settings.jobLease, settings.maxAttempts))
          .maxBodyBytes(settings.maxBodyBytes)
          .build();
      binding = new HttpBinding(handlerWrapper.apply(coordinator::handle),
          settings.transportLimits(), settings.clock);
      address = binding.start(settings.bind, settings.port);
      scheduler = FatalErrors.scheduler("kascompute-scheduler");
      JobGenerator generator = new JobGenerator(settings.clock, settings.jobInterval,
          settings.minPendingJobs, settings.jobWorkUnitsMin, settings.jobWorkUnitsMax,
          settings.jobSeed, stores.jobs());
      scheduler.scheduleWithFixedDelay(() -> tick(generator), 0, GENERATOR_POLL_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
    LOG.log(Level.INFO, "KASCompute reference coordinator listening on " + uri());
    return address.getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}; only after {@link #start()}. */
  public URI uri() {
    if (address == null) {
      throw new IllegalStateException("not started");
    }
    InetSocketAddress a = address;
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

  /** The transport (for tests in this package). */
  HttpBinding binding() {
    return binding;
  }

  /** The scheduler the job generator runs on (for tests in this package). */
  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Stops gracefully within the shutdown grace: from now on new requests are answered 503 {@code
   * overloaded} and idle connections close; requests in flight may finish until shortly before the
   * grace ends; then every connection, the threads (a stuck worker is interrupted and abandoned)
   * and the store are closed.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    if (binding != null) {
      long grace = settings.shutdownGrace.toNanos();
      long reserve = Math.min(grace / 4, TimeUnit.SECONDS.toNanos(1));
      binding.beginClosing();
      if (!binding.awaitIdle(System.nanoTime() + grace - reserve)) {
        LOG.log(Level.WARNING, binding.inFlight()
            + " request(s) still in flight at the end of the shutdown grace; abandoning them");
      }
    }
    closeQuietly();
    LOG.log(Level.INFO, "KASCompute reference coordinator stopped");
  }

  /**
   * Serves until the JVM shuts down (SIGTERM, Ctrl-C): registers a shutdown hook that runs {@link
   * #close()} and, should closing outlast the shutdown grace (the store stuck, say), halts the JVM
   * with status 1 and one line on standard error (requests abandoned at the end of the grace are
   * reported there too); then runs {@code announce} (the hook is in place
   * by then, so a SIGTERM right after the announcement still closes gracefully) and blocks.
   *
   * @param announce run once the hook is registered, e.g. to print the address
   * @param afterClose run by the hook once the server is closed
   * @throws InterruptedException if the calling thread is interrupted while it waits
   */
  public void runUntilJvmShutdown(Runnable announce, Runnable afterClose) throws InterruptedException {
    Objects.requireNonNull(announce, "announce");
    Objects.requireNonNull(afterClose, "afterClose");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Thread closer = new Thread(this::close, "kascompute-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(settings.shutdownGrace.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (closer.isAlive()) {
        System.err.println("kascompute: shutdown grace of " + settings.shutdownGrace.toMillis()
            + " ms ran out while closing; exiting with status 1");
        System.err.flush();
        Runtime.getRuntime().halt(1);
      }
      int abandoned = inFlightRequests();
      if (abandoned > 0) {
        // said here, not logged: java.util.logging resets its handlers in its own shutdown hook
        System.err.println("kascompute: " + abandoned
            + " request(s) still running at the end of the shutdown grace were abandoned");
      }
      afterClose.run();
      stopped.countDown();
    }, "kascompute-shutdown"));
    announce.run();
    stopped.await();
  }

  private void closeQuietly() {
    if (binding != null) {
      binding.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
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

  /** The server's settings. */
  record Settings(String bind, int port, Clock clock, Duration taskLease, Duration jobLease,
      int maxAttempts, VerificationPolicy policy, Optional<NodeKeyPair> coordinatorKey,
      Optional<String> ledgerOrigin, Duration jobInterval, int minPendingJobs, long jobWorkUnitsMin, long jobWorkUnitsMax,
      long jobSeed,
      Optional<Jdbc> jdbc, int maxBodyBytes, int threads, int queueCapacity,
      Duration shutdownGrace, Transport transport, StoreLimits storeLimits,
      DirectoryLimits directoryLimits, long maxLedgerEntries, DagAdmission dagAdmission) {

    /** The transport's bounds. */
    TransportLimits transportLimits() {
      return new TransportLimits(maxBodyBytes, transport.maxRequestLineBytes,
          transport.maxHeaderBytes, transport.maxHeaderCount, transport.headerTimeout,
          transport.bodyTimeout, transport.minBodyBytesPerSecond, transport.idleTimeout,
          transport.closeLinger, transport.maxConnections, transport.maxBufferedBodyBytes,
          transport.ioThreads, threads, queueCapacity, transport.retryAfter);
    }
  }

  /** The transport settings that only the HTTP layer reads. */
  record Transport(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount,
      Duration headerTimeout, Duration bodyTimeout, int minBodyBytesPerSecond, Duration idleTimeout,
      Duration closeLinger, int maxConnections, long maxBufferedBodyBytes, int ioThreads,
      Duration retryAfter) {}

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
    private DagAdmission dagAdmission = DagAdmission.strict();
    private Optional<NodeKeyPair> coordinatorKey = Optional.empty();
    private Optional<String> ledgerOrigin = Optional.empty();
    private long maxLedgerEntries = CoordinatorStores.DEFAULT_MAX_LEDGER_ENTRIES;
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
    private int maxRequestLineBytes = 8 * 1024;
    private int maxHeaderBytes = 8 * 1024;
    private int maxHeaderCount = 64;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration bodyTimeout = Duration.ofSeconds(10);
    private int minBodyBytesPerSecond = 32 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration closeLinger = Duration.ofSeconds(2);
    private int maxConnections = 2048;
    private long maxBufferedBodyBytes = 64L << 20;
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private Duration retryAfter = Duration.ofSeconds(1);
    private UnaryOperator<RequestHandler> handlerWrapper = UnaryOperator.identity();
    private StoreLimits storeLimits = StoreLimits.DEFAULT;
    private DirectoryLimits directoryLimits = DirectoryLimits.DEFAULT;

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

    /**
     * What a submitted DAG must satisfy beyond V1's validation (default {@link
     * DagAdmission#strict()}; {@link DagAdmission#v1()} admits what deployed V1 admits).
     */
    public Builder dagAdmission(DagAdmission admission) {
      this.dagAdmission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /**
     * The coordinator's own Ed25519 key, with which job receipts and ledger checkpoints are signed
     * (default none: unsigned receipts and no {@code /v1/ledger/*} endpoints).
     */
    public Builder coordinatorKey(NodeKeyPair key) {
      this.coordinatorKey = Optional.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * The ledger's origin, its checkpoints' first line and key name (default {@code kascompute/}
     * and the first 16 hex digits of the coordinator key; see {@code Coordinator.Builder}).
     */
    public Builder ledgerOrigin(String origin) {
      this.ledgerOrigin = Optional.of(Objects.requireNonNull(origin, "origin"));
      return this;
    }

    /**
     * Entries the in-memory ledger holds (default 4,194,304, 64 bytes each); beyond it verified
     * proofs are refused {@code store_full}. PostgreSQL stores have no such bound.
     */
    public Builder maxLedgerEntries(long entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("maxLedgerEntries must be at least 1: " + entries);
      }
      this.maxLedgerEntries = entries;
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

    /** Worker threads, which run the coordinator (default max(4, 2 x cores)). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Requests (fully read) that may wait for a worker before new ones get 503 (default 256). */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be at least 1: " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * How long {@link ReferenceServer#close()} may take (default 10 s): requests in flight may finish
     * until shortly before it ends, and {@link ReferenceServer#runUntilJvmShutdown} halts the JVM
     * when it ends.
     */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = positive(d, "shutdown grace");
      return this;
    }

    /**
     * The bounds of run and DAG state (live runs per DAG and in all, runs and tasks kept, DAG
     * tasks stored); the defaults survive a run-creation flood on a 512 MB heap.
     */
    public Builder storeLimits(StoreLimits limits) {
      this.storeLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The bounds of the node directory (pinned ids, unpinned ids and their retention, rotations). */
    public Builder directoryLimits(DirectoryLimits limits) {
      this.directoryLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The longest request line (method, target and version), in bytes (default 8 KiB); longer is 414. */
    public Builder maxRequestLineBytes(int bytes) {
      this.maxRequestLineBytes = atLeast(bytes, 64, "maxRequestLineBytes");
      return this;
    }

    /** The largest header section, in bytes (default 8 KiB); larger is 431. */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = atLeast(bytes, 256, "maxHeaderBytes");
      return this;
    }

    /** The most header fields in a request (default 64); more is 431. */
    public Builder maxHeaderCount(int count) {
      this.maxHeaderCount = atLeast(count, 1, "maxHeaderCount");
      return this;
    }

    /** How long request line and headers may take to arrive, from the first byte (default 10 s); then 408. */
    public Builder headerTimeout(Duration d) {
      this.headerTimeout = positive(d, "header timeout");
      return this;
    }

    /**
     * How long a body may take before the minimum rate applies (default 10 s): a body of n bytes
     * must have arrived within this plus n / {@link #minBodyRate} seconds; otherwise 408.
     */
    public Builder bodyTimeout(Duration d) {
      this.bodyTimeout = positive(d, "body timeout");
      return this;
    }

    /** The minimum body rate, in bytes per second, after the body timeout (default 32 KiB/s). */
    public Builder minBodyRate(int bytesPerSecond) {
      this.minBodyBytesPerSecond = atLeast(bytesPerSecond, 1, "minBodyRate");
      return this;
    }

    /**
     * How long a kept-alive connection may wait for its next request, and a response may take to
     * be written, before the connection closes (default 30 s).
     */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = positive(d, "idle timeout");
      return this;
    }

    /**
     * How long unread input is drained after an answer that closes the connection, so that the
     * client reads the answer rather than a reset (default 2 s; longer while the client keeps
     * sending the rest of its declared body, at most the body limit, at the minimum body rate).
     */
    public Builder closeLinger(Duration d) {
      this.closeLinger = positive(d, "close linger");
      return this;
    }

    /**
     * The most open connections that are served (default 2048); up to a quarter more (at least 16)
     * are answered 503 {@code overloaded} and closed, and beyond that the server stops accepting
     * until the open connections are back under the limit (new clients wait in the accept queue).
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = atLeast(connections, 1, "maxConnections");
      return this;
    }

    /**
     * The most request-body bytes held in memory at once over all requests (default 64 MiB); a body
     * that does not fit is answered 503 {@code overloaded}. At least {@link #maxBodyBytes}.
     */
    public Builder maxBufferedBodyBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBufferedBodyBytes must be positive: " + bytes);
      }
      this.maxBufferedBodyBytes = bytes;
      return this;
    }

    /** Event-loop threads, which read, parse and write without blocking (default: cores). */
    public Builder ioThreads(int threads) {
      this.ioThreads = atLeast(threads, 1, "ioThreads");
      return this;
    }

    /** The {@code Retry-After} of 503 {@code overloaded} answers, in whole seconds (default 1 s). */
    public Builder retryAfter(Duration d) {
      this.retryAfter = positive(d, "retry after");
      return this;
    }

    /**
     * Wraps the coordinator's entry point (package-private; the test seam through which a test's
     * child JVM makes a worker allocate without bound or block forever behind the real lifecycle).
     */
    Builder handlerWrapper(UnaryOperator<RequestHandler> wrapper) {
      this.handlerWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    /**
     * The server, not yet started.
     *
     * @throws IllegalArgumentException if the buffered-body budget is smaller than the body limit
     */
    public ReferenceServer build() {
      Settings settings = new Settings(bind, port, clock, taskLease, jobLease, maxAttempts,
          policy, coordinatorKey, ledgerOrigin, jobInterval, minPendingJobs, jobWorkUnitsMin, jobWorkUnitsMax,
          jobSeed, jdbc,
          maxBodyBytes, threads, queueCapacity, shutdownGrace,
          new Transport(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, headerTimeout,
              bodyTimeout, minBodyBytesPerSecond, idleTimeout, closeLinger, maxConnections,
              maxBufferedBodyBytes, ioThreads, retryAfter),
          storeLimits, directoryLimits, maxLedgerEntries, dagAdmission);
      settings.transportLimits(); // checks the bounds together
      return new ReferenceServer(settings, handlerWrapper);
    }

    /** The transport bounds this builder describes (for transport tests in this package). */
    TransportLimits transportLimits() {
      return build().settings.transportLimits();
    }

    private static int atLeast(int value, int min, String what) {
      if (value < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
      }
      return value;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
