package io.kascompute.testkit.cli;

import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.dag.coordinator.VerificationPolicy;
import io.kascompute.testkit.server.ReferenceServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kascompute serve}: runs the reference V1 coordinator over HTTP until SIGTERM. */
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

  @CommandLine.ArgGroup(exclusive = true)
  CoordinatorKey coordinatorKey;

  /** The coordinator's own key, from the command line or from a file (kept out of process lists). */
  static final class CoordinatorKey {
    @Option(names = "--coordinator-key-hex", paramLabel = "HEX", description = "Ed25519 secret seed (64 hex digits) with which the coordinator signs job receipts.")
    String hex;

    @Option(names = "--coordinator-key-file", paramLabel = "FILE", description = "A file holding that seed's hex, or the JSON that keygen prints.")
    String file;

    NodeKeyPair keyPair() throws IOException {
      return hex != null ? NodeKeyPair.fromSeedHex(hex) : CliSupport.readSecretKeyFile(file);
    }
  }

  @Option(names = "--job-interval-seconds", defaultValue = "1", description = "Top the job pool up to 10 pending jobs every N seconds. Default: ${DEFAULT-VALUE}.")
  long jobIntervalSeconds;

  @Option(names = "--job-work-units", defaultValue = "500000..5000000", converter = Options.RangeConverter.class,
      description = "Work units of generated jobs, MIN..MAX. Default: ${DEFAULT-VALUE}.")
  Options.Range jobWorkUnits;

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::serve);
  }

  private int serve() throws Exception {
    ReferenceServer.Builder b = ReferenceServer.builder()
        .port(port)
        .bind(bind)
        .taskLease(Duration.ofSeconds(taskLeaseSeconds))
        .jobLease(Duration.ofSeconds(jobLeaseSeconds))
        .policy(policy)
        .jobInterval(Duration.ofSeconds(jobIntervalSeconds))
        .jobWorkUnits(jobWorkUnits.min(), jobWorkUnits.max());
    if (coordinatorKey != null) {
      b.coordinatorKey(coordinatorKey.keyPair());
    }
    if (jdbcUrl != null) {
      b.jdbc(jdbcUrl, jdbcUser, jdbcPassword);
    }
    ReferenceServer server = b.build();
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      System.err.println("kascompute serve: stopped (requests in flight finished)");
      stopped.countDown();
    }, "kascompute-serve-shutdown"));
    System.err.println("kascompute serve: listening on " + server.uri()
        + (jdbcUrl == null ? " (in-memory store)" : " (PostgreSQL store)"));
    stopped.await();
    return CliSupport.OK;
  }
}
