package io.kascompute.dag.coordinator;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.metrics.MetricsAggregator;
import io.kascompute.core.presence.GeoEnricher;
import io.kascompute.core.presence.GeoLocation;
import io.kascompute.core.presence.NodeRegistry;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.DagSubmitResponse;
import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.HeartbeatResponse;
import io.kascompute.core.wire.JobNextResponse;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofReceipt;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.payload.JobReceiptPayload;
import io.kascompute.core.wire.MetricsResponse;
import io.kascompute.core.wire.NodeRequest;
import io.kascompute.core.wire.RenewRequest;
import io.kascompute.core.wire.RenewResponse;
import io.kascompute.core.wire.RunCreated;
import io.kascompute.core.wire.RunStatusResponse;
import io.kascompute.core.wire.TaskLease;
import io.kascompute.core.wire.TaskNextResponse;
import io.kascompute.core.wire.TaskProofAccepted;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.core.wire.WireResponse;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.jobs.JobBoard;
import io.kascompute.dag.jobs.JobSource;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A KASCompute V1 coordinator as one framework-neutral object: every V1 endpoint, presence,
 * metrics, proof verification and leasing behind two entry points, typed methods for Java callers
 * and {@link #handle(String, String, byte[])} for HTTP glue. It owns no thread and no socket; all
 * state lives in the {@link LeaseStore}, the {@link NodeRegistry} and the {@link
 * MetricsAggregator} it was built with. Thread-safe when its store is.
 *
 * <p>Wiring it to the JDK's own HTTP server takes a few lines:
 *
 * <pre>{@code
 * Coordinator coordinator = Coordinator.builder().build();
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/v1/", exchange -> {
 *   byte[] body = exchange.getRequestBody().readNBytes((1 << 20) + 1);
 *   CoordinatorResponse r = coordinator.handle(
 *       exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body);
 *   exchange.getResponseHeaders().set("Content-Type", r.contentType());
 *   exchange.sendResponseHeaders(r.status(), r.body().length);
 *   exchange.getResponseBody().write(r.body());
 *   exchange.close();
 * });
 * server.start();
 * }</pre>
 *
 * <p>Pass the raw (still percent-encoded) path: the coordinator decodes each segment itself. Every
 * refusal is an error envelope whose HTTP status is {@link ErrorCode#httpStatus()}; nothing is
 * ever thrown out of {@code handle}. Proofs are verified before any state changes. The endpoints,
 * bodies and codes are specified in {@code docs/spec/coordinator.md}.
 *
 * <p>Choosing a store: the default {@link io.kascompute.dag.lease.LeaseStores#inMemory()} keeps
 * runs in this process only (lost on restart); to survive restarts or share runs between several
 * coordinator processes, pass a {@link LeaseStore} backed by a database (the testkit's {@code
 * LeaseStoreContract} checks any implementation).
 */
public final class Coordinator {
  private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

  private final Clock clock;
  private final LeaseStore store;
  private final VerificationPolicy policy;
  private final NodeRegistry registry;
  private final MetricsAggregator metrics;
  private final GeoEnricher geo;
  private final LeasePolicy taskLeases;
  private final StrictJsonReader reader;
  private final Integrations integrations;
  private final ProofChecks checks;
  private final Optional<NodeKeyPair> signingKey;

  private Coordinator(Builder b) {
    this.clock = b.clock;
    this.store = b.store != null ? b.store : Integrations.defaultStore();
    this.policy = b.policy;
    this.registry = b.registry != null ? b.registry : NodeRegistry.create();
    this.metrics = b.metrics != null ? b.metrics : MetricsAggregator.create();
    this.geo = b.geo;
    this.taskLeases = b.taskLeases;
    this.reader = StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxBytes(b.maxBodyBytes));
    this.integrations = new Integrations(b);
    this.checks = new ProofChecks(b.policy);
    this.signingKey = b.signingKey;
  }

  /** A builder with the defaults: in-memory store, UTC system clock, {@code STRICT}, V1 lease times. */
  public static Builder builder() {
    return new Builder();
  }

  /** The verification policy in force. */
  public VerificationPolicy verificationPolicy() {
    return policy;
  }

  /** The node registry the coordinator records heartbeats in. */
  public NodeRegistry nodeRegistry() {
    return registry;
  }

  /** The metrics aggregator the coordinator feeds. */
  public MetricsAggregator metricsAggregator() {
    return metrics;
  }

  /** The lease store holding DAGs, runs and leases. */
  public LeaseStore leaseStore() {
    return store;
  }

  // ------------------------------------------------------------------------------------------
  // HTTP entry point
  // ------------------------------------------------------------------------------------------

  /**
   * Handles one HTTP request and returns its status and envelope; never throws.
   *
   * @param method the HTTP method, e.g. {@code POST}
   * @param path the raw request path, percent-encoded as received; a query string is ignored
   * @param body the request body (empty for {@code GET})
   */
  public CoordinatorResponse handle(String method, String path, byte[] body) {
    return handle(method, path, body, Optional.empty());
  }

  /**
   * Handles one HTTP request, passing the peer address to the geo hook; never throws.
   *
   * @param remoteAddress the client address as the HTTP layer saw it, for {@link GeoEnricher}
   */
  public CoordinatorResponse handle(
      String method, String path, byte[] body, Optional<String> remoteAddress) {
    Instant now;
    try {
      now = clock.instant();
    } catch (RuntimeException e) {
      now = Instant.EPOCH;
    }
    long ts = Math.max(0, now.getEpochSecond());
    try {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(remoteAddress, "remoteAddress");
      WireResponse data = route(method.toUpperCase(Locale.ROOT), path, body, remoteAddress);
      return new CoordinatorResponse(200, Envelope.ok(data, ts));
    } catch (KasComputeException e) {
      return new CoordinatorResponse(
          e.code().httpStatus(), Envelope.error(e.code(), e.getMessage(), ts));
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      LOG.log(System.Logger.Level.ERROR, "unexpected failure handling " + method + " " + path, e);
      safeReject(ErrorCode.INTERNAL, Optional.empty(), now);
      return new CoordinatorResponse(
          ErrorCode.INTERNAL.httpStatus(),
          Envelope.error(ErrorCode.INTERNAL, "internal error; nothing was applied", ts));
    }
  }

  private WireResponse route(String method, String path, byte[] body, Optional<String> remote) {
    List<String> s;
    try {
      s = PathCodec.segments(path);
    } catch (KasComputeException e) {
      throw rejected(e, Optional.empty());
    }
    int n = s.size();
    if (n < 2 || !s.get(0).equals("v1")) {
      throw notFound(path);
    }
    String area = s.get(1);
    switch (area) {
      case "nodes":
        if (n == 3 && s.get(2).equals("heartbeat")) {
          allow(method, "POST", path);
          return heartbeat(parse(body, HeartbeatRequest::fromJson), remote);
        }
        break;
      case "jobs":
        if (n == 3 && s.get(2).equals("next")) {
          allow(method, "POST", path);
          return nextJob(parse(body, NodeRequest::fromJson));
        }
        if (n == 3 && s.get(2).equals("proof")) {
          allow(method, "POST", path);
          return submitJobProof(parse(body, o -> JobProofRequest.fromJson(o, OptionalLong.empty())));
        }
        if (n == 4 && s.get(3).equals("proof")) {
          allow(method, "POST", path);
          OptionalLong jobId = OptionalLong.of(pathJobId(s.get(2)));
          return submitJobProof(parse(body, o -> JobProofRequest.fromJson(o, jobId)));
        }
        break;
      case "dags":
        if (n == 3 && s.get(2).equals("submit")) {
          allow(method, "POST", path);
          return submitDag(parse(body, integrations::readSubmitBody));
        }
        if (n == 4 && s.get(3).equals("runs")) {
          allow(method, "POST", path);
          return createRun(pathId(() -> DagId.of(s.get(2))));
        }
        break;
      case "runs":
        if (n == 3) {
          allow(method, "GET", path);
          return runStatus(pathId(() -> RunId.of(s.get(2))));
        }
        if (n == 4 && s.get(3).equals("next")) {
          allow(method, "POST", path);
          RunId run = pathId(() -> RunId.of(s.get(2)));
          return nextTask(run, parse(body, NodeRequest::fromJson));
        }
        if (n == 6 && s.get(3).equals("tasks")) {
          String action = s.get(5);
          if (action.equals("renew") || action.equals("proof") || action.equals("fail")) {
            allow(method, "POST", path);
            RunId run = pathId(() -> RunId.of(s.get(2)));
            TaskId task = pathId(() -> TaskId.of(s.get(4)));
            switch (action) {
              case "renew":
                return renewTask(run, task, parse(body, RenewRequest::fromJson));
              case "proof":
                return submitTaskProof(run, task, parse(body, TaskProofRequest::fromJson));
              default:
                return failTask(run, task, parse(body, FailRequest::fromJson));
            }
          }
        }
        break;
      case "metrics":
        if (n == 2) {
          allow(method, "GET", path);
          return metrics();
        }
        break;
      default:
        break;
    }
    throw notFound(path);
  }

  private KasComputeException notFound(String path) {
    return rejected(
        new KasComputeException(ErrorCode.NOT_FOUND, "no endpoint at " + path), Optional.empty());
  }

  private void allow(String method, String expected, String path) {
    if (!method.equals(expected)) {
      throw rejected(
          new KasComputeException(
              ErrorCode.METHOD_NOT_ALLOWED, path + " takes " + expected + ", not " + method),
          Optional.empty());
    }
  }

  private long pathJobId(String segment) {
    boolean digits = !segment.isEmpty() && segment.length() <= 20
        && segment.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digits) {
      try {
        return Long.parseUnsignedLong(segment);
      } catch (NumberFormatException e) {
        // beyond 2^64-1: no such job
      }
    }
    throw rejected(
        new KasComputeException(ErrorCode.UNKNOWN_JOB, "no job has id " + segment), Optional.empty());
  }

  private <T> T pathId(Supplier<T> id) {
    try {
      return id.get();
    } catch (KasComputeException e) {
      throw rejected(e, Optional.empty());
    }
  }

  private <T> T parse(byte[] body, java.util.function.Function<JsonObject, T> read) {
    try {
      JsonValue v = reader.read(body);
      return read.apply(Fields.object(v, "request body"));
    } catch (KasComputeException e) {
      throw rejected(e, Optional.empty());
    }
  }

  // ------------------------------------------------------------------------------------------
  // Typed entry points
  // ------------------------------------------------------------------------------------------

  /**
   * Records a heartbeat: checks the key and, when present, the signature; locates the node with
   * the geo hook; registers the node's key on its first heartbeat.
   *
   * @throws KasComputeException {@code bad_signature}, {@code key_mismatch}, {@code invalid_geo},
   *     {@code invalid_public_key}, ...
   */
  public HeartbeatResponse heartbeat(HeartbeatRequest request, Optional<String> remoteAddress) {
    Instant now = clock.instant();
    return guarded(Optional.of(request.nodeId()), now, () -> {
      PublicKeyBytes key = checks.heartbeatKey(request);
      if (request.signatureHex().isPresent()) {
        checks.verifyHeartbeat(request, now);
      }
      Optional<GeoLocation> where = geo.locate(request, remoteAddress);
      registry.heartbeat(request, key, where, now);
      return new HeartbeatResponse();
    });
  }

  /** Leases the next plain job to the node, or answers {@code job:null} when none is available. */
  public JobNextResponse nextJob(NodeRequest request) {
    Instant now = clock.instant();
    return guarded(Optional.of(request.nodeId()), now,
        () -> new JobNextResponse(integrations.nextJob(request.nodeId(), now)));
  }

  /**
   * Verifies a job proof and, when it passes, completes the node's job lease and returns the
   * receipt (signed by the coordinator when it has a key).
   */
  public JobProofReceipt submitJobProof(JobProofRequest request) {
    Instant now = clock.instant();
    NodeId node = request.payload().nodeId();
    return guarded(Optional.of(node), now, () -> {
      boolean verified = checks.verifyJobProof(request, registry.registeredKey(node));
      Sha256Digest proofHash = request.payload().digest();
      boolean repeat = integrations.completeJob(
          request.payload().jobId(), node, request.leaseEpoch(), proofHash, now);
      if (!repeat) {
        metrics.recordJobProof(
            node, request.payload().workUnits(), request.payload().elapsedMs(), now);
      }
      return receipt(request.payload(), proofHash, verified, now);
    });
  }

  /** Compiles and stores a DAG spec; submitting the same DAG again answers the same ids. */
  public DagSubmitResponse submitDag(DagSpec spec) {
    Instant now = clock.instant();
    return guarded(Optional.empty(), now, () -> {
      ComputeDag dag = integrations.compile(spec);
      store.putDag(dag);
      return new DagSubmitResponse(dag.id().value(), dag.rootHash().hex(), dag.taskCount());
    });
  }

  /** Creates a run of a stored DAG. */
  public RunCreated createRun(DagId dag) {
    Instant now = clock.instant();
    return guarded(Optional.empty(), now, () -> new RunCreated(store.createRun(dag, now).value()));
  }

  /** Leases the head of the run's ready queue to the node, or answers {@code task:null}. */
  public TaskNextResponse nextTask(RunId run, NodeRequest request) {
    Instant now = clock.instant();
    return guarded(Optional.of(request.nodeId()), now, () -> {
      Optional<TaskGrant> g = store.next(run, request.nodeId(), now, taskLeases);
      return new TaskNextResponse(g.map(t -> new TaskLease(
          t.runId().value(), t.dagId().value(), t.taskId().value(), t.taskHash().hex(),
          t.workUnits(), t.taskType(), unix(t.leaseExpires()), t.leaseEpoch())));
    });
  }

  /** Extends the node's lease on a task. */
  public RenewResponse renewTask(RunId run, TaskId task, RenewRequest request) {
    Instant now = clock.instant();
    return guarded(Optional.of(request.nodeId()), now, () -> {
      TaskRenewal r = store.renew(run, task, request.nodeId(), request.leaseEpoch(), now, taskLeases);
      return new RenewResponse(
          r.runId().value(), r.taskId().value(), unix(r.leaseExpires()), r.leaseEpoch());
    });
  }

  /**
   * Verifies a task proof against the task's hash and work units and, when it passes, completes
   * the task and unlocks its dependents.
   */
  public TaskProofAccepted submitTaskProof(RunId run, TaskId task, TaskProofRequest request) {
    Instant now = clock.instant();
    NodeId node = request.nodeId();
    return guarded(Optional.of(node), now, () -> {
      ComputeDag dag = dagOf(run);
      OptionalInt index = dag.indexOf(task);
      if (index.isEmpty()) {
        throw new KasComputeException(
            ErrorCode.UNKNOWN_TASK, "run " + run + " has no task " + task);
      }
      int i = index.getAsInt();
      if (request.workUnits() != dag.workUnits(i)) {
        throw new KasComputeException(
            ErrorCode.WORK_UNITS_MISMATCH,
            "task " + task + " has " + Long.toUnsignedString(dag.workUnits(i))
                + " work units; the proof reports " + Long.toUnsignedString(request.workUnits()));
      }
      TaskProofPayload payload = request.payload(run, task, dag.taskHash(i));
      Sha256Digest digest = payload.digest();
      boolean verified =
          checks.verifyTaskProof(request, payload, digest, registry.registeredKey(node));
      TaskCompletion c = store.complete(run, task, node, request.leaseEpoch(), digest, now);
      if (!c.repeat()) {
        metrics.recordTaskProof(node, run, request.workUnits(), request.elapsedMs(), now);
      }
      return new TaskProofAccepted(
          run.value(), task.value(), c.unlocked().stream().map(TaskId::value).toList(),
          digest.hex(), verified, c.repeat());
    });
  }

  /** Records that the node failed a task (an SDK extension); it is retried or failed for good. */
  public TaskFailed failTask(RunId run, TaskId task, FailRequest request) {
    Instant now = clock.instant();
    return guarded(Optional.of(request.nodeId()), now, () -> {
      TaskFailure f = store.fail(run, task, request.nodeId(), request.leaseEpoch(), now, taskLeases);
      return new TaskFailed(f.runId().value(), f.taskId().value(), f.failed(), f.attempts());
    });
  }

  /** The run's counts and state. */
  public RunStatusResponse runStatus(RunId run) {
    Instant now = clock.instant();
    return guarded(Optional.empty(), now, () -> {
      RunStatus s = store.status(run).orElseThrow(() -> unknownRun(run));
      return new RunStatusResponse(
          s.runId().value(), s.dagId().value(), s.dagRootHash().hex(), s.name(),
          unix(s.created()), s.tasksTotal(), s.tasksPending(), s.tasksReady(), s.tasksRunning(),
          s.tasksCompleted(), s.tasksFailed(), s.state().name().toLowerCase(Locale.ROOT));
    });
  }

  /** The metrics of the window ending now. */
  public MetricsResponse metrics() {
    return metrics.snapshot(clock.instant(), registry);
  }

  // ------------------------------------------------------------------------------------------

  private JobProofReceipt receipt(
      JobProofPayload p, Sha256Digest proofHash, boolean verified, Instant now) {
    long accepted = unix(now);
    if (signingKey.isEmpty()) {
      return new JobProofReceipt(
          proofHash.hex(), verified, accepted, Optional.empty(), Optional.empty());
    }
    JobReceiptPayload signed = new JobReceiptPayload(
        p.nodeId(), p.jobId(), p.workUnits(), proofHash, verified, accepted);
    byte[] sig = Signatures.signRaw(signingKey.get(), signed.digest().toByteArray());
    return new JobProofReceipt(
        proofHash.hex(), verified, accepted, Optional.of(signingKey.get().publicKey().hex()),
        Optional.of(HexCodec.encode(sig)));
  }

  private ComputeDag dagOf(RunId run) {
    RunStatus s = store.status(run).orElseThrow(() -> unknownRun(run));
    return store.dag(s.dagId()).orElseThrow(() -> new KasComputeException(
        ErrorCode.UNKNOWN_DAG, "run " + run + " refers to DAG " + s.dagId() + ", which is not stored"));
  }

  private static KasComputeException unknownRun(RunId run) {
    return new KasComputeException(ErrorCode.UNKNOWN_RUN, "no run has id " + run);
  }

  private <T> T guarded(Optional<NodeId> node, Instant now, Supplier<T> action) {
    try {
      return action.get();
    } catch (KasComputeException e) {
      throw rejected(e, node, now);
    }
  }

  private KasComputeException rejected(KasComputeException e, Optional<NodeId> node) {
    Instant now;
    try {
      now = clock.instant();
    } catch (RuntimeException ignored) {
      now = Instant.EPOCH;
    }
    return rejected(e, node, now);
  }

  private KasComputeException rejected(KasComputeException e, Optional<NodeId> node, Instant now) {
    safeReject(e.code(), node, now);
    return e;
  }

  private void safeReject(ErrorCode code, Optional<NodeId> node, Instant now) {
    try {
      metrics.recordRejection(code, node, now);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not record a rejection in the metrics", e);
    }
  }

  private static long unix(Instant t) {
    return Math.max(0, t.getEpochSecond());
  }

  /** Configures a {@link Coordinator}; every setting has a default. */
  public static final class Builder {
    Clock clock = Clock.systemUTC();
    LeaseStore store;
    VerificationPolicy policy = VerificationPolicy.STRICT;
    NodeRegistry registry;
    MetricsAggregator metrics;
    GeoEnricher geo = GeoEnricher.fromHeartbeat();
    LeasePolicy taskLeases = LeasePolicy.TASK_DEFAULT;
    LeasePolicy jobLeases = LeasePolicy.JOB_DEFAULT;
    int maxBodyBytes = 1 << 20;
    Optional<NodeKeyPair> signingKey = Optional.empty();
    JobSource jobSource = now -> Optional.empty();
    JobBoard jobBoard;
    int retainFinishedJobs = 1_000_000;

    private Builder() {}

    /**
     * The coordinator's own key: job receipts then also carry {@code coordinator_public_key_hex}
     * and {@code coordinator_signature} over the receipt bytes ({@link JobReceiptPayload}), so that
     * an auditor can prove the coordinator accepted a proof (default: none).
     */
    public Builder signingKey(NodeKeyPair key) {
      this.signingKey = Optional.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** The clock every time decision reads (default: the UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where DAGs, runs and leases live (default: a new in-memory store). */
    public Builder leaseStore(LeaseStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** How missing or failing signatures are treated (default {@link VerificationPolicy#STRICT}). */
    public Builder verificationPolicy(VerificationPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The presence registry (default: {@link NodeRegistry#create()}). */
    public Builder nodeRegistry(NodeRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The metrics aggregator (default: {@link MetricsAggregator#create()}). */
    public Builder metrics(MetricsAggregator metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The geo hook run on each heartbeat (default: {@link GeoEnricher#fromHeartbeat()}). */
    public Builder geoEnricher(GeoEnricher geo) {
      this.geo = Objects.requireNonNull(geo, "geo");
      return this;
    }

    /** Task lease duration and attempts (default {@link LeasePolicy#TASK_DEFAULT}: 90 s, 3). */
    public Builder taskLeasePolicy(LeasePolicy policy) {
      this.taskLeases = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where new plain jobs come from (default: none, so {@code /v1/jobs/next} answers {@code
     * job:null}); the coordinator builds a {@link JobBoard} over it with {@link #jobLeasePolicy}.
     */
    public Builder jobSource(JobSource source) {
      this.jobSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** A job board the host built itself; replaces {@link #jobSource} and {@link #jobLeasePolicy}. */
    public Builder jobBoard(JobBoard board) {
      this.jobBoard = Objects.requireNonNull(board, "board");
      return this;
    }

    /** Job lease duration and attempts (default {@link LeasePolicy#JOB_DEFAULT}: 60 s, 3). */
    public Builder jobLeasePolicy(LeasePolicy policy) {
      this.jobLeases = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The largest request body accepted, in bytes (default 1 MiB); larger ones get {@code body_too_large}. */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** The coordinator. */
    public Coordinator build() {
      return new Coordinator(this);
    }
  }
}
