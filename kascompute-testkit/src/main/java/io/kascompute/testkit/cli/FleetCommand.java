package io.kascompute.testkit.cli;

import io.kascompute.testkit.fleet.Fleet;
import io.kascompute.testkit.fleet.FleetReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kascompute fleet}: simulated nodes, with faults, against a V1 coordinator over HTTP. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = "Run simulated KASCompute nodes (heartbeats, jobs, DAG tasks, signed proofs, faults) against a V1 coordinator.")
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

  @Option(names = "--proof-log", description = "Append each accepted job proof submission to this JSON Lines file.")
  Path proofLog;

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::runFleet);
  }

  private int runFleet() throws Exception {
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
    Thread hook = new Thread(fleet::stop, "kascompute-fleet-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    FleetReport report = fleet.run();
    Summary.fleet(report, System.out);
    boolean ok = report.clean() && (runs.isEmpty() || !stop.untilIdle || report.runsFinished());
    return ok ? CliSupport.OK : CliSupport.FAILURE;
  }
}
