package io.kascompute.testkit.cli;

import io.kascompute.testkit.fleet.Fleet;
import io.kascompute.testkit.fleet.FleetReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kascompute fleet}: simulated nodes, with faults, against a V1 coordinator over HTTP. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = {
      "Run simulated KASCompute nodes (heartbeats, jobs, DAG tasks, signed proofs, faults) against"
          + " a V1 coordinator. The summary goes to stderr; Ctrl-C stops the nodes after their"
          + " current request and still prints it.",
      "The nodes run on their own threads, so the thread schedule (and the coordinator's clock)"
          + " decides which node gets which lease: --seed fixes the node keys and each node's"
          + " fault choices, not the outcome. For a run that one seed reproduces exactly, use"
          + " 'kascompute demo --seed N'."
    })
final class FleetCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", required = true, description = "Coordinator base URL; repeat to spread nodes over several.")
  List<URI> urls;

  @Option(names = "--nodes", defaultValue = "8", description = "Number of nodes. Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--launcher-nodes", defaultValue = "0",
      description = "How many of the nodes behave exactly like the public node launcher (hb|/pf| signatures, its field names, plain jobs only). Default: ${DEFAULT-VALUE}.")
  int launcherNodes;

  @ArgGroup(exclusive = true)
  Stop stop = new Stop();

  static final class Stop {
    @Option(names = "--duration", converter = Options.DurationConverter.class,
        description = "How long to run, e.g. 30s, 2m (default 30s).")
    Duration duration;

    @Option(names = "--until-idle", description = "Run until every --run is finished (or, without runs, until no jobs come).")
    boolean untilIdle;
  }

  @Option(names = "--fault-rate", defaultValue = "0.05", description = "Probability of a fault per lease. Default: ${DEFAULT-VALUE}.")
  double faultRate;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of node keys and fault choices. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--run", description = "A run id whose DAG tasks the nodes work on; repeatable.")
  List<String> runs = List.of();

  @Option(names = "--proof-log", paramLabel = "FILE",
      description = "Append each accepted job proof submission to this JSON Lines file (created if"
          + " missing; existing lines are kept).")
  Path proofLog;

  @Option(names = {"-q", "--quiet"}, description = "Print no summary; the exit code tells.")
  boolean quiet;

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::runFleet);
  }

  /** Connects once to {@code url}'s host and port, so an unreachable address is exit 2, not a run of failures. */
  private static void reachable(URI url) throws IOException {
    String host = url.getHost();
    if (host == null || !("http".equalsIgnoreCase(url.getScheme()))) {
      throw new IllegalArgumentException("--url must be an http URL such as http://127.0.0.1:8080,"
          + " got " + url);
    }
    int port = url.getPort() >= 0 ? url.getPort() : 80;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5_000);
    } catch (IOException e) {
      throw new IOException("cannot connect to " + url + ": " + CliSupport.message(e), e);
    }
  }

  private int runFleet() throws Exception {
    if (launcherNodes > nodes) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--launcher-nodes ("
          + launcherNodes + ") must not exceed --nodes (" + nodes + ")");
    }
    Fleet.Builder b = Fleet.builder().nodes(nodes).launcherNodes(launcherNodes).seed(seed)
        .faultRate(faultRate);
    urls.forEach(b::url);
    runs.forEach(b::run);
    if (stop.untilIdle) {
      b.untilIdle();
    } else {
      b.duration(stop.duration != null ? stop.duration : Duration.ofSeconds(30));
    }
    if (proofLog != null) {
      b.proofLog(proofLog);
    }
    Fleet fleet = b.build();
    for (URI url : urls) {
      reachable(url);
    }
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      fleet.stop();
      try {
        reported.await(10, TimeUnit.SECONDS); // let the summary come out before the JVM exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kascompute-fleet-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    FleetReport report;
    try {
      report = fleet.run();
    } catch (IOException | InterruptedException | RuntimeException e) {
      reported.countDown();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
    if (!quiet) {
      Summary.fleet(report, System.err);
      Summary.timing(report, System.err);
      System.err.flush();
    }
    reported.countDown();
    boolean ok = report.clean() && (runs.isEmpty() || !stop.untilIdle || report.runsFinished());
    return ok ? CliSupport.OK : CliSupport.FAILURE;
  }
}
