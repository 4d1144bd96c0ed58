package io.kascompute.testkit.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fleet of simulated stateless nodes that work against V1 coordinators over real HTTP: each
 * heartbeats with a signed heartbeat, pulls DAG tasks and plain jobs, renews long tasks, signs and
 * submits proofs, and with probability {@code faultRate} per lease injects a {@link Fault} whose
 * refusal it checks. Some nodes may behave exactly like the public node launcher ({@link
 * Builder#launcherNodes}), so that both kinds of client in the field are exercised.
 *
 * <pre>{@code
 * FleetReport report = Fleet.builder()
 *     .url(URI.create("http://127.0.0.1:8080"))
 *     .nodes(8).seed(42).faultRate(0.05)
 *     .run("run-...-1").untilIdle()
 *     .build().run();
 * }</pre>
 */
public final class Fleet {
  private final Settings settings;
  private final FleetStats stats = new FleetStats();
  private final AtomicBoolean stopped = new AtomicBoolean();

  private Fleet(Settings settings) {
    this.settings = settings;
  }

  /** A builder with 8 nodes, seed 0, no faults, a 30 s duration and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** Task proofs accepted so far (as new completions); safe to read while the fleet runs. */
  public long tasksCompleted() {
    return stats.tasksCompleted.sum();
  }

  /** Job proofs accepted so far; safe to read while the fleet runs. */
  public long jobsAccepted() {
    return stats.jobsAccepted.sum();
  }

  /** Asks every node to stop after its current request; {@link #run()} then returns. */
  public void stop() {
    stopped.set(true);
  }

  /**
   * Runs the fleet until its duration is over, or (with {@code untilIdle}) until every run is
   * finished, or until {@link #stop()}, and reports what happened.
   *
   * @throws IOException if the proof log cannot be written
   */
  public FleetReport run() throws IOException, InterruptedException {
    long[] deadline = {Long.MAX_VALUE};
    RunTracker runs = new RunTracker(settings.runs);
    Optional<ProofLog> log = settings.proofLog.isPresent()
        ? Optional.of(new ProofLog(settings.proofLog.get())) : Optional.empty();
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    List<Thread> threads = new ArrayList<>();
    List<SimNode> nodes = new ArrayList<>();
    long start = System.nanoTime();
    SplittableRandom root = new SplittableRandom(settings.seed);
    try {
      for (int i = 0; i < settings.nodes; i++) {
        URI url = settings.urls.get(i % settings.urls.size());
        boolean launcher = i < settings.launcherNodes;
        SimNode node = new SimNode(NodeKey.derive(settings.seed, i, launcher),
            launcher ? SimNode.Style.LAUNCHER : SimNode.Style.SDK, new V1Client(http, url),
            settings, stats, log, root.split(), runs,
            () -> stopped.get()
                || (deadline[0] != Long.MAX_VALUE && System.nanoTime() - deadline[0] > 0));
        nodes.add(node);
        if (!settings.singleThreaded) {
          Thread t = new Thread(node, "kascompute-fleet-" + node.nodeId());
          t.setDaemon(true);
          threads.add(t);
        }
      }
      start = System.nanoTime();
      long began = start;
      deadline[0] = settings.duration.map(d -> began + d.toNanos()).orElse(Long.MAX_VALUE);
      if (settings.singleThreaded) {
        runInTurn(nodes);
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      stopped.set(true);
      for (Thread t : threads) {
        t.interrupt();
      }
      throw e;
    } finally {
      if (log.isPresent()) {
        log.get().close();
      }
    }
    boolean finished = runs.tracking() && runs.allFinished();
    return stats.report(finished, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Runs one step of each node in turn, in node order, on this thread, until every node is done. */
  private static void runInTurn(List<SimNode> nodes) throws InterruptedException {
    List<SimNode> active = new ArrayList<>(nodes);
    while (!active.isEmpty()) {
      for (java.util.Iterator<SimNode> it = active.iterator(); it.hasNext(); ) {
        SimNode node = it.next();
        boolean more;
        try {
          more = node.step();
        } catch (IOException e) {
          node.connectionFailed(e);
          more = false;
        }
        if (!more) {
          it.remove();
        }
      }
    }
  }

  /** The fleet's settings, shared by its nodes. */
  record Settings(List<URI> urls, int nodes, int launcherNodes, long seed, double faultRate,
      Optional<Duration> duration, boolean untilIdle, List<String> runs,
      Optional<Path> proofLog, LeaseTime time, boolean pullJobs, boolean singleThreaded) {}

  /** Builds a {@link Fleet}. */
  public static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private int nodes = 8;
    private int launcherNodes;
    private long seed;
    private double faultRate;
    private Optional<Duration> duration = Optional.of(Duration.ofSeconds(30));
    private boolean untilIdle;
    private final List<String> runs = new ArrayList<>();
    private Optional<Path> proofLog = Optional.empty();
    private LeaseTime time = LeaseTime.system(Duration.ofMillis(20));
    private boolean pullJobs = true;
    private boolean singleThreaded;

    private Builder() {}

    /** Adds a coordinator base URL; nodes are spread over the URLs round-robin. */
    public Builder url(URI url) {
      urls.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** The number of simulated nodes, at least 1. */
    public Builder nodes(int nodes) {
      if (nodes < 1) {
        throw new IllegalArgumentException("a fleet needs at least one node: " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /**
     * How many of the nodes behave exactly like the public node launcher (default 0): configured
     * ids {@code kc_node_NN}, {@code hb|}/{@code pf|} signatures, the launcher's field names and
     * work-unit rule, no lease epochs, plain jobs only.
     */
    public Builder launcherNodes(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("launcher nodes must not be negative: " + count);
      }
      this.launcherNodes = count;
      return this;
    }

    /** The seed of the node keys and the fault choices. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The probability, per lease, that a node injects a fault; from 0 to 1. */
    public Builder faultRate(double faultRate) {
      if (!(faultRate >= 0 && faultRate <= 1)) {
        throw new IllegalArgumentException("fault rate must lie in [0, 1]: " + faultRate);
      }
      this.faultRate = faultRate;
      return this;
    }

    /** Runs for at most this long (wall-clock time). */
    public Builder duration(Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be positive: " + duration);
      }
      this.duration = Optional.of(duration);
      return this;
    }

    /** Stops once every run is finished (or, without runs, once no job came for a while); no duration limit unless one is set after this call. */
    public Builder untilIdle() {
      this.untilIdle = true;
      this.duration = Optional.empty();
      return this;
    }

    /** Adds a run whose tasks the nodes pull before any job. */
    public Builder run(String runId) {
      runs.add(Objects.requireNonNull(runId, "runId"));
      return this;
    }

    /** Appends every accepted job proof submission to this JSON Lines file (created if missing). */
    public Builder proofLog(Path file) {
      this.proofLog = Optional.of(file);
      return this;
    }

    /** How the nodes experience time (the default is the system clock with 20 ms idle polls). */
    public Builder leaseTime(LeaseTime time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /** Whether nodes pull plain jobs from {@code /v1/jobs/next} (default true). */
    public Builder pullJobs(boolean pullJobs) {
      this.pullJobs = pullJobs;
      return this;
    }

    /**
     * Runs the nodes in turn on the thread that calls {@link Fleet#run()} (one request at a time,
     * in node order) instead of one thread per node: with a {@link LeaseTime#controlled} clock
     * that an in-process server shares, a seed then reproduces every fault and outcome exactly.
     */
    public Builder singleThreaded() {
      this.singleThreaded = true;
      return this;
    }

    /** The fleet; at least one URL is required. */
    public Fleet build() {
      if (urls.isEmpty()) {
        throw new IllegalStateException("a fleet needs at least one coordinator URL");
      }
      if (launcherNodes > nodes) {
        throw new IllegalStateException("more launcher nodes (" + launcherNodes + ") than nodes (" + nodes + ")");
      }
      return new Fleet(new Settings(List.copyOf(urls), nodes, launcherNodes, seed, faultRate, duration,
          untilIdle, List.copyOf(runs), proofLog, time, pullJobs, singleThreaded));
    }
  }
}
