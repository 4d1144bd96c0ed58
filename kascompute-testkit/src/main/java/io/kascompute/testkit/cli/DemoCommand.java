package io.kascompute.testkit.cli;

import io.kascompute.testkit.fleet.DagGenerator;
import io.kascompute.testkit.fleet.DagRuns;
import io.kascompute.testkit.fleet.Fleet;
import io.kascompute.testkit.fleet.FleetReport;
import io.kascompute.testkit.server.ReferenceServer;
import io.kascompute.core.wire.RunState;
import io.kascompute.core.wire.RunStatusResponse;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kascompute demo}: the whole protocol in one command. Starts the reference coordinator on
 * a free loopback port, submits a layered DAG over HTTP, runs a fleet with a few faults until the
 * run completes, audits the proof log offline and prints a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a coordinator, run a fleet with faults through a generated DAG, audit the proofs offline.")
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "8", description = "Simulated nodes. Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--tasks", defaultValue = "2000", description = "Tasks in the generated DAG. Default: ${DEFAULT-VALUE}.")
  int tasks;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the DAG, node keys and faults. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--fault-rate", defaultValue = "0.02", description = "Probability of a fault per lease. Default: ${DEFAULT-VALUE}.")
  double faultRate;

  @Option(names = "--timeout", defaultValue = "5m", converter = Options.DurationConverter.class,
      description = "Give up (exit 1) after this long. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Override
  public Integer call() {
    return CliSupport.run(spec, () -> run(System.out, System.console() != null));
  }

  /** Runs the demo, printing to {@code out}; 0 if the run completed and every proof verified. */
  int run(PrintStream out, boolean console) throws Exception {
    if (nodes < 1 || tasks < 1) {
      out.println("demo: --nodes and --tasks must be at least 1");
      return CliSupport.BAD_INPUT;
    }
    Path proofLog = Files.createTempFile("kascompute-demo-proofs-", ".jsonl");
    ExecutorService background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kascompute-demo-fleet");
      t.setDaemon(true);
      return t;
    });
    try (ReferenceServer server = ReferenceServer.builder()
        .port(0)
        .taskLease(Duration.ofSeconds(3))
        .jobLease(Duration.ofSeconds(3))
        .maxAttempts(10)
        .jobInterval(Duration.ofMillis(100))
        .jobSeed(seed)
        .shutdownGrace(Duration.ofSeconds(5))
        .build()) {
      server.start();
      URI url = server.uri();
      out.println("coordinator   " + url + " (in-memory store, strict signatures)");
      String runId = DagRuns.start(url, DagGenerator.layeredSubmitBody("demo-" + tasks, tasks, seed));
      out.println("run           " + runId + " (" + tasks + " tasks), " + nodes
          + " nodes, fault rate " + faultRate);

      Fleet fleet = Fleet.builder().url(url).nodes(nodes).launcherNodes(Math.max(1, nodes / 4))
          .seed(seed).faultRate(faultRate)
          .run(runId).untilIdle().proofLog(proofLog).build();
      Future<FleetReport> running = background.submit(fleet::run);
      FleetReport report;
      Progress progress = new Progress(out, tasks, fleet::tasksCompleted, console);
      try {
        report = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fleet.stop();
        out.println("demo: the run did not complete within " + timeout + "; giving up");
        return CliSupport.FAILURE;
      } catch (ExecutionException e) {
        out.println("demo: the fleet failed: " + e.getCause());
        return CliSupport.FAILURE;
      } finally {
        progress.close();
      }
      RunStatusResponse status = DagRuns.status(url, runId);
      ProofAudit.Result audit = ProofAudit.audit(proofLog);

      out.println();
      Summary.fleet(report, out);
      out.printf(Locale.ROOT, "run state         %s, %d/%d tasks completed (server)%n",
          status.state().wireName(), status.tasksCompleted(), status.tasksTotal());
      out.printf(Locale.ROOT, "proof audit       %d of %d job proofs verified offline%s%n",
          audit.valid(), audit.total(), audit.invalid() == 0 ? "" : " (" + audit.invalid() + " INVALID: " + audit.reasons() + ")");
      boolean ok = status.state() == RunState.COMPLETED && status.tasksCompleted() == tasks
          && status.tasksTotal() == tasks
          && report.tasksCompleted() == tasks && report.clean()
          && audit.invalid() == 0 && audit.total() == report.jobsAccepted();
      out.println("verdict           " + (ok ? "OK: run completed exactly once, every accepted proof verified"
          : "FAILED"));
      return ok ? CliSupport.OK : CliSupport.FAILURE;
    } finally {
      background.shutdownNow();
      Files.deleteIfExists(proofLog);
    }
  }
}
