package io.kascompute.testkit.cli;

import io.kascompute.core.wire.RunState;
import io.kascompute.core.wire.RunStatusResponse;
import io.kascompute.testkit.FakeClock;
import io.kascompute.testkit.fleet.DagGenerator;
import io.kascompute.testkit.fleet.DagRuns;
import io.kascompute.testkit.fleet.Fleet;
import io.kascompute.testkit.fleet.FleetReport;
import io.kascompute.testkit.fleet.LeaseTime;
import io.kascompute.testkit.server.ReferenceServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * run completes, audits the proof log offline and prints a summary, all on stderr.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
      "Start a coordinator, run a fleet with faults through a generated DAG, audit the proofs"
          + " offline. Progress and the summary go to stderr (stdout stays empty); Ctrl-C stops"
          + " the fleet, restores the cursor and deletes the demo's temporary proof log.",
      "Without --seed the nodes run on their own threads against the system clock, as in the"
          + " field: the thread schedule then decides which node gets which lease, so two runs"
          + " differ. With --seed N the demo runs deterministically instead: one thread takes the"
          + " nodes' turns in order and the coordinator and nodes share a simulated clock, so one"
          + " seed reproduces the DAG, the node keys, every fault and the whole summary exactly."
    })
final class DemoCommand implements Callable<Integer> {
  /** Where the simulated clock of a seeded demo starts: 2026-01-01T00:00:00Z. */
  static final Instant SIMULATED_START = Instant.ofEpochSecond(1_767_225_600L);
  /** How far each idle poll moves the simulated clock. */
  static final Duration SIMULATED_IDLE_STEP = Duration.ofMillis(250);

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "8", description = "Simulated nodes. Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--tasks", defaultValue = "2000", description = "Tasks in the generated DAG. Default: ${DEFAULT-VALUE}.")
  int tasks;

  @Option(names = "--seed", paramLabel = "N",
      description = "Run deterministically (one thread, simulated clock) with this seed of the DAG,"
          + " node keys and faults. Without it: threads, the system clock and seed 1.")
  Long seed;

  @Option(names = "--fault-rate", defaultValue = "0.02", description = "Probability of a fault per lease. Default: ${DEFAULT-VALUE}.")
  double faultRate;

  @Option(names = "--timeout", defaultValue = "5m", converter = Options.DurationConverter.class,
      description = "Give up (exit 1) after this long. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = {"-q", "--quiet"}, description = "Print neither progress nor summary; the exit code tells.")
  boolean quiet;

  @Option(names = "--width", paramLabel = "COLUMNS",
      description = "Terminal width for the progress bar (default: $COLUMNS, else 80).")
  int width;

  @Override
  public Integer call() {
    PrintStream err = quiet ? new PrintStream(PrintStream.nullOutputStream()) : System.err;
    return CliSupport.run(spec, () -> run(err, !quiet && System.console() != null));
  }

  /**
   * Runs the demo, printing progress and the summary to {@code err}; 0 if the run completed and
   * every proof verified, 1 if not.
   */
  int run(PrintStream err, boolean console) throws Exception {
    if (nodes < 1 || tasks < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--nodes and --tasks must be at least 1");
    }
    boolean deterministic = seed != null;
    long theSeed = deterministic ? seed : 1;
    Path proofLog = Files.createTempFile("kascompute-demo-proofs-", ".jsonl");
    Fleet[] fleetRef = new Fleet[1];
    Thread cleanup = new Thread(() -> {
      if (fleetRef[0] != null) {
        fleetRef[0].stop();
      }
      if (console) {
        err.print(Progress.SHOW_CURSOR);
        err.flush();
      }
      try {
        Files.deleteIfExists(proofLog);
      } catch (java.io.IOException e) {
        // the JVM is exiting; nothing more can be done
      }
    }, "kascompute-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    ExecutorService background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kascompute-demo-fleet");
      t.setDaemon(true);
      return t;
    });
    FakeClock clock = FakeClock.at(SIMULATED_START);
    ReferenceServer.Builder sb = ReferenceServer.builder()
        .port(0)
        .taskLease(Duration.ofSeconds(3))
        .jobLease(Duration.ofSeconds(3))
        .maxAttempts(10)
        .jobSeed(theSeed)
        .shutdownGrace(Duration.ofSeconds(5));
    if (deterministic) {
      // One top-up of the job pool at the start, none while the nodes run: the pool's contents
      // then never depend on when the generator's thread gets to run.
      sb.clock(clock).jobInterval(Duration.ofDays(3650));
    } else {
      sb.jobInterval(Duration.ofMillis(100));
    }
    try (ReferenceServer server = sb.build()) {
      server.start();
      URI url = server.uri();
      if (deterministic) {
        awaitFirstJobs(server);
      }
      err.println("coordinator   " + url + " (in-memory store, strict signatures"
          + (deterministic ? ", simulated clock" : "") + ")");
      String runId = DagRuns.start(url, DagGenerator.layeredSubmitBody("demo-" + tasks, tasks, theSeed));
      err.println("run           " + runId + " (" + tasks + " tasks), " + nodes
          + " nodes, fault rate " + faultRate + ", seed " + theSeed
          + (deterministic ? " (deterministic schedule)" : " (threads)"));

      Fleet.Builder fb = Fleet.builder().url(url).nodes(nodes).launcherNodes(Math.max(1, nodes / 4))
          .seed(theSeed).faultRate(faultRate)
          .run(runId).untilIdle().proofLog(proofLog);
      if (deterministic) {
        fb.singleThreaded().leaseTime(LeaseTime.controlled(clock, clock::advance, SIMULATED_IDLE_STEP));
      }
      Fleet fleet = fb.build();
      fleetRef[0] = fleet;
      Future<FleetReport> running = background.submit(fleet::run);
      FleetReport report;
      Progress progress = new Progress(err, tasks, fleet::tasksCompleted, console,
          Progress.columns(width));
      try {
        report = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fleet.stop();
        err.println("error: the run did not complete within " + timeout + "; giving up");
        return CliSupport.FAILURE;
      } catch (ExecutionException e) {
        err.println("error: the fleet failed: " + CliSupport.message(e.getCause()));
        return CliSupport.INTERNAL;
      } finally {
        progress.close();
      }
      RunStatusResponse status = DagRuns.status(url, runId);
      ProofAudit.Result audit = ProofAudit.audit(proofLog);

      err.println();
      Summary.fleet(report, err);
      err.printf(Locale.ROOT, "run state         %s, %d/%d tasks completed (server)%n",
          status.state().wireName(), status.tasksCompleted(), status.tasksTotal());
      err.printf(Locale.ROOT, "proof audit       %d of %d job proofs verified offline%s%n",
          audit.valid(), audit.total(), audit.invalid() == 0 ? "" : " (" + audit.invalid() + " INVALID: " + audit.reasons() + ")");
      boolean ok = status.state() == RunState.COMPLETED && status.tasksCompleted() == tasks
          && status.tasksTotal() == tasks
          && report.tasksCompleted() == tasks && report.clean()
          && audit.invalid() == 0 && audit.total() == report.jobsAccepted();
      err.println("verdict           " + (ok ? "OK: run completed exactly once, every accepted proof verified"
          : "FAILED"));
      err.flush();
      return ok ? CliSupport.OK : CliSupport.FAILURE;
    } finally {
      background.shutdownNow();
      Files.deleteIfExists(proofLog);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
  }

  /** Waits (briefly) until the job generator's first top-up is in the store. */
  private static void awaitFirstJobs(ReferenceServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.coordinator().stores().jobs().counts().pending() == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the job generator made no jobs within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
