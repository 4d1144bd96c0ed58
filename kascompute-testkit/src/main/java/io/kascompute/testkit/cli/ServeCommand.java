package io.kascompute.testkit.cli;

import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.dag.DagAdmission;
import io.kascompute.dag.coordinator.VerificationPolicy;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.lease.StoreLimits;
import io.kascompute.testkit.server.ReferenceServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kascompute serve}: runs the reference V1 coordinator over HTTP until SIGTERM, which ends
 * it within the shutdown grace; an {@link Error} in a server thread ends it at once with status 3.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the reference KASCompute V1 coordinator over HTTP until stopped (SIGTERM or Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(names = "--jdbc-url", description = "PostgreSQL JDBC URL; run state is kept in memory without it.")
  String jdbcUrl;

  @Option(names = "--jdbc-user", defaultValue = "", description = "PostgreSQL user.")
  String jdbcUser;

  @Option(names = "--jdbc-password", defaultValue = "", description = "PostgreSQL password.")
  String jdbcPassword;

  @Option(names = "--task-lease-seconds", defaultValue = "90", description = "DAG task lease. Default: ${DEFAULT-VALUE}.")
  long taskLeaseSeconds;

  @Option(names = "--job-lease-seconds", defaultValue = "60", description = "Job lease. Default: ${DEFAULT-VALUE}.")
  long jobLeaseSeconds;

  @Option(names = "--policy", defaultValue = "strict", converter = Options.PolicyConverter.class,
      description = "Signature policy: strict or v1-compat. Default: ${DEFAULT-VALUE}.")
  VerificationPolicy policy;

  @Option(names = "--dag-admission", defaultValue = "strict",
      converter = Options.DagAdmissionConverter.class,
      description = "What a submitted DAG must satisfy beyond V1's validation: strict (no empty"
          + " DAGs, control characters in task ids, repeated edges or oversized values) or v1"
          + " (what deployed V1 admits). Default: ${DEFAULT-VALUE}.")
  DagAdmission dagAdmission;

  @CommandLine.ArgGroup(exclusive = true)
  CoordinatorKey coordinatorKey;

  /** The coordinator's own key, from the command line or from a file (kept out of process lists). */
  static final class CoordinatorKey {
    @Option(names = "--coordinator-key-hex", paramLabel = "HEX", description = "Ed25519 secret seed (64 hex digits) with which the coordinator signs job receipts and ledger checkpoints (and serves /v1/ledger/*).")
    String hex;

    @Option(names = "--coordinator-key-file", paramLabel = "FILE", description = "A file holding that seed's hex, or the JSON that keygen prints.")
    String file;

    NodeKeyPair keyPair() throws IOException {
      return hex != null ? NodeKeyPair.fromSeedHex(hex) : CliSupport.readSecretKeyFile(file);
    }
  }

  @Option(names = "--ledger-origin", paramLabel = "ORIGIN",
      description = "The signed ledger's origin (with a coordinator key): checkpoints' first line and key name. Default: kascompute/ and the first 16 hex digits of the coordinator's public key.")
  String ledgerOrigin;

  @Option(names = "--job-interval-seconds", defaultValue = "1", description = "Top the job pool up to 10 pending jobs every N seconds. Default: ${DEFAULT-VALUE}.")
  long jobIntervalSeconds;

  @Option(names = "--job-work-units", defaultValue = "500000..5000000", converter = Options.RangeConverter.class,
      description = "Work units of generated jobs, MIN..MAX. Default: ${DEFAULT-VALUE}.")
  Options.Range jobWorkUnits;

  @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "BYTES",
      description = "Largest request body (declared or chunked; more is 400 body_too_large). Default: ${DEFAULT-VALUE}.")
  int maxBodyBytes;

  @Option(names = "--worker-threads", paramLabel = "N",
      description = "Threads that run the coordinator. Default: max(4, 2 x cores).")
  Integer workerThreads;

  @Option(names = "--io-threads", paramLabel = "N",
      description = "Event-loop threads that read, parse and write without blocking. Default: cores.")
  Integer ioThreads;

  @Option(names = "--queue-capacity", defaultValue = "256", paramLabel = "N",
      description = "Fully read requests that may wait for a worker; beyond, 503 overloaded. Default: ${DEFAULT-VALUE}.")
  int queueCapacity;

  @Option(names = "--max-connections", defaultValue = "2048", paramLabel = "N",
      description = "Open connections served; up to a quarter more are answered 503 overloaded, then accepting pauses. Default: ${DEFAULT-VALUE}.")
  int maxConnections;

  @Option(names = "--max-buffered-body-bytes", defaultValue = "67108864", paramLabel = "BYTES",
      description = "Request-body bytes held in memory at once over all requests; beyond, 503 overloaded. Default: ${DEFAULT-VALUE} (64 MiB).")
  long maxBufferedBodyBytes;

  @Option(names = "--max-request-line-bytes", defaultValue = "8192", paramLabel = "BYTES",
      description = "Longest request line; longer is 414 uri_too_long. Default: ${DEFAULT-VALUE}.")
  int maxRequestLineBytes;

  @Option(names = "--max-header-bytes", defaultValue = "8192", paramLabel = "BYTES",
      description = "Largest header section; larger is 431 header_too_large. Default: ${DEFAULT-VALUE}.")
  int maxHeaderBytes;

  @Option(names = "--max-header-count", defaultValue = "64", paramLabel = "N",
      description = "Most header fields per request; more is 431 header_too_large. Default: ${DEFAULT-VALUE}.")
  int maxHeaderCount;

  @Option(names = "--header-timeout", defaultValue = "10s", converter = Options.DurationConverter.class,
      description = "Time for request line and headers, from their first byte; then 408 request_timeout. Default: ${DEFAULT-VALUE}.")
  Duration headerTimeout;

  @Option(names = "--body-timeout", defaultValue = "10s", converter = Options.DurationConverter.class,
      description = "Time a body may take before the minimum body rate applies; then 408 request_timeout. Default: ${DEFAULT-VALUE}.")
  Duration bodyTimeout;

  @Option(names = "--min-body-rate", defaultValue = "32768", paramLabel = "BYTES_PER_S",
      description = "Bytes per second a body must keep after the body timeout. Default: ${DEFAULT-VALUE}.")
  int minBodyRate;

  @Option(names = "--idle-timeout", defaultValue = "30s", converter = Options.DurationConverter.class,
      description = "Time a kept-alive connection may wait for its next request (and a response may take to write). Default: ${DEFAULT-VALUE}.")
  Duration idleTimeout;

  @Option(names = "--close-linger", defaultValue = "2s", converter = Options.DurationConverter.class,
      description = "Time unread input is drained after a closing answer, so the client reads it instead of a reset. Default: ${DEFAULT-VALUE}.")
  Duration closeLinger;

  @Option(names = "--retry-after", defaultValue = "1s", converter = Options.DurationConverter.class,
      description = "Retry-After of 503 overloaded answers (whole seconds). Default: ${DEFAULT-VALUE}.")
  Duration retryAfter;

  @Option(names = "--max-live-runs", defaultValue = "256", paramLabel = "N",
      description = "Runs not yet finished, in all; another run is refused too_many_runs. Default: ${DEFAULT-VALUE}.")
  int maxLiveRuns;

  @Option(names = "--max-live-runs-per-dag", defaultValue = "64", paramLabel = "N",
      description = "Runs not yet finished of one DAG. Default: ${DEFAULT-VALUE}.")
  int maxLiveRunsPerDag;

  @Option(names = "--max-retained-runs", defaultValue = "10000", paramLabel = "N",
      description = "Runs kept, finished ones included; the oldest finished runs are deleted beyond it. Default: ${DEFAULT-VALUE}.")
  int maxRetainedRuns;

  @Option(names = "--max-retained-tasks", defaultValue = "4000000", paramLabel = "N",
      description = "Tasks of all runs kept, finished ones included (about 35 bytes each in memory). Default: ${DEFAULT-VALUE}.")
  long maxRetainedTasks;

  @Option(names = "--max-dag-tasks", defaultValue = "4000000", paramLabel = "N",
      description = "Tasks of all DAGs stored; DAGs no kept run uses are deleted beyond it. Default: ${DEFAULT-VALUE}.")
  long maxDagTasks;

  @Option(names = "--max-pinned-nodes", defaultValue = "1000000", paramLabel = "N",
      description = "Node ids with a pinned key; a new pin beyond it is refused directory_full. Default: ${DEFAULT-VALUE}.")
  int maxPinnedNodes;

  @Option(names = "--max-unpinned-nodes", defaultValue = "100000", paramLabel = "N",
      description = "Node ids seen without a pinned key; a new one beyond it is refused directory_full. Default: ${DEFAULT-VALUE}.")
  int maxUnpinnedNodes;

  @Option(names = "--max-ledger-entries", defaultValue = "4194304", paramLabel = "N",
      description = "Entries of the in-memory signed ledger (64 bytes of tree hashes each); beyond it verified proofs are refused store_full. Default: ${DEFAULT-VALUE}.")
  long maxLedgerEntries;

  @Option(names = "--unpinned-retention", defaultValue = "24h", converter = Options.DurationConverter.class,
      description = "How long an unpinned node id not seen again is kept. Default: ${DEFAULT-VALUE}.")
  Duration unpinnedRetention;

  @Option(names = "--shutdown-grace", defaultValue = "10s", converter = Options.DurationConverter.class,
      description = "On SIGTERM, time requests in flight get; the process has exited when it ends. Default: ${DEFAULT-VALUE}.")
  Duration shutdownGrace;

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::serve);
  }

  private int serve() throws Exception {
    if (port < 0 || port > 65_535) {
      spec.commandLine().getErr().println(
          "error: cannot bind " + bind + ":" + port + ": port out of range (0-65535)");
      spec.commandLine().getErr().flush();
      return CliSupport.BAD_INPUT;
    }
    ReferenceServer server;
    try {
      server = configure().build();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: bad_option: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return CliSupport.BAD_INPUT;
    }
    server.start();
    server.runUntilJvmShutdown(
        () -> System.err.println("kascompute serve: listening on " + server.uri()
            + (jdbcUrl == null ? " (in-memory store)" : " (PostgreSQL store)")),
        () -> System.err.println("kascompute serve: stopped"));
    return CliSupport.OK;
  }

  private ReferenceServer.Builder configure() throws IOException {
    ReferenceServer.Builder b = ReferenceServer.builder()
        .port(port)
        .bind(bind)
        .taskLease(Duration.ofSeconds(taskLeaseSeconds))
        .jobLease(Duration.ofSeconds(jobLeaseSeconds))
        .policy(policy)
        .dagAdmission(dagAdmission)
        .jobInterval(Duration.ofSeconds(jobIntervalSeconds))
        .jobWorkUnits(jobWorkUnits.min(), jobWorkUnits.max())
        .maxBodyBytes(maxBodyBytes)
        .queueCapacity(queueCapacity)
        .maxConnections(maxConnections)
        .maxBufferedBodyBytes(maxBufferedBodyBytes)
        .maxRequestLineBytes(maxRequestLineBytes)
        .maxHeaderBytes(maxHeaderBytes)
        .maxHeaderCount(maxHeaderCount)
        .headerTimeout(headerTimeout)
        .bodyTimeout(bodyTimeout)
        .minBodyRate(minBodyRate)
        .idleTimeout(idleTimeout)
        .closeLinger(closeLinger)
        .retryAfter(retryAfter)
        .shutdownGrace(shutdownGrace)
        .storeLimits(new StoreLimits(maxLiveRuns, maxLiveRunsPerDag, maxRetainedRuns,
            maxRetainedTasks, maxDagTasks))
        .directoryLimits(new DirectoryLimits(maxPinnedNodes, maxUnpinnedNodes, unpinnedRetention,
            DirectoryLimits.DEFAULT.maxRotations()))
        .maxLedgerEntries(maxLedgerEntries);
    if (workerThreads != null) {
      b.threads(workerThreads);
    }
    if (ioThreads != null) {
      b.ioThreads(ioThreads);
    }
    if (coordinatorKey != null) {
      b.coordinatorKey(coordinatorKey.keyPair());
    }
    if (ledgerOrigin != null) {
      b.ledgerOrigin(ledgerOrigin);
    }
    if (jdbcUrl != null) {
      b.jdbc(jdbcUrl, jdbcUser, jdbcPassword);
    }
    return b;
  }
}
