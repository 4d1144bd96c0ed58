package io.kascompute.dag.coordinator;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.metrics.MetricsAggregator;
import io.kascompute.core.presence.GeoEnricher;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.DashboardOverview;
import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.FailRequest;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.HealthResponse;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.wire.JobsSummary;
import io.kascompute.core.wire.ListResponse;
import io.kascompute.core.wire.MetricsResponse;
import io.kascompute.core.wire.NodeRequest;
import io.kascompute.core.wire.RenewRequest;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagAdmission;
import io.kascompute.dag.directory.NodeRecord;
import io.kascompute.dag.directory.PresenceCounts;
import io.kascompute.dag.jobs.JobCounts;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.dag.ledger.ProofWindow;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A KASCompute V1 coordinator as one framework-neutral object: every V1 endpoint and read view,
 * node identity, verification in both signature schemes, leasing and metrics, behind typed Java
 * methods and {@link #handle(String, String, byte[], Optional)} for HTTP glue. It owns no thread
 * and no socket; everything it remembers lives in its {@link CoordinatorStores}, so several
 * coordinators on one shared store answer alike. Thread-safe when its stores are.
 *
 * <p>Wiring it to an HTTP server takes a few lines: pass the method, the raw request target
 * (still percent-encoded, query included), the body and the peer address, and send back the
 * status, content type and body of the {@link CoordinatorResponse}. Every refusal is an error
 * envelope whose HTTP status is {@link ErrorCode#httpStatus()}; {@code handle} never throws.
 * Proofs are verified, against the node's pinned key, before any state changes. Endpoints,
 * bodies, policies and codes are specified in {@code docs/spec/coordinator.md}.
 */
public final class Coordinator {
  private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

  private final Clock clock;
  private final CoordinatorStores stores;
  private final VerificationPolicy policy;
  private final StrictJsonReader reader;
  private final Admission admission;
  private final DagAdmission dagAdmission;
  private final MetricsAggregator local;
  private final Duration metricsWindow;
  private final Duration activity;
  private final Duration onlineTtl;
  private final String coordinatorId;
  private final IdentityService identity;
  private final JobService jobs;
  private final RunService runs;
  private final Receipts receipts;
  private final Optional<LedgerService> ledger;
  private final Router router;

  private Coordinator(Builder b) {
    this.clock = b.clock;
    this.stores = b.stores != null ? b.stores : CoordinatorStores.inMemory();
    this.policy = b.policy;
    this.reader = StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxBytes(b.maxBodyBytes));
    this.admission = new Admission(b.limits);
    this.dagAdmission = b.dagAdmission;
    this.metricsWindow = b.metricsWindow;
    this.local = MetricsAggregator.create(b.metricsWindow);
    this.activity = b.activity;
    this.onlineTtl = b.onlineTtl;
    this.coordinatorId = b.coordinatorId != null ? b.coordinatorId : randomId();
    ProofVerifier verifier = ProofVerifier.create();
    this.identity = new IdentityService(stores.directory(), verifier, policy, b.geo, admission,
        b.heartbeatWindow, coordinatorId);
    this.receipts = new Receipts(b.signingKey);
    this.jobs = new JobService(stores.jobs(), identity, verifier, policy, b.jobLeases, admission,
        receipts, coordinatorId);
    this.runs = new RunService(stores.leases(), identity, verifier, policy, b.taskLeases, admission,
        coordinatorId);
    this.ledger = LedgerService.of(stores.ledger().log(), b.signingKey, b.ledgerOrigin, clock);
    this.router = routes();
  }

  /** A builder with the defaults: in-memory stores, UTC system clock, {@code STRICT}, V1 lease times. */
  public static Builder builder() {
    return new Builder();
  }

  /** The stores holding everything this coordinator remembers. */
  public CoordinatorStores stores() {
    return stores;
  }

  /** The verification policy in force. */
  public VerificationPolicy verificationPolicy() {
    return policy;
  }

  /** This coordinator's id, as recorded with every proof it accepts. */
  public String coordinatorId() {
    return coordinatorId;
  }

  // ------------------------------------------------------------------------------------------
  // HTTP entry point
  // ------------------------------------------------------------------------------------------

  /** Handles one HTTP request without a peer address; see {@link #handle(String, String, byte[], Optional)}. */
  public CoordinatorResponse handle(String method, String target, byte[] body) {
    return handle(method, target, body, Optional.empty());
  }

  /**
   * Handles one HTTP request and returns its status, content type and body; never throws.
   *
   * @param method the HTTP method, e.g. {@code POST}
   * @param target the raw request target as received: path, percent-encoded, and query
   * @param body the request body (empty for {@code GET})
   * @param remoteAddress the client address as the HTTP layer saw it, for the geo hook
   */
  public CoordinatorResponse handle(
      String method, String target, byte[] body, Optional<String> remoteAddress) {
    Instant now = now();
    long ts = WireMapper.unix(now);
    try {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(remoteAddress, "remoteAddress");
      Answer a = router.dispatch(method, RequestTarget.parse(target), body, remoteAddress);
      if (a instanceof Answer.Raw raw) {
        return CoordinatorResponse.of(200, raw.contentType(), raw.body(), OptionalInt.empty());
      }
      return CoordinatorResponse.json(
          200, Envelope.ok(((Answer.Envelope) a).data(), ts), OptionalInt.empty());
    } catch (KasComputeException e) {
      reject(e.code(), now);
      int status = e.code().httpStatus();
      return CoordinatorResponse.json(status, Envelope.error(e.code(), e.getMessage(), ts),
          status == 503 ? OptionalInt.of(1) : OptionalInt.empty());
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      LOG.log(Level.ERROR, "unexpected failure handling " + method + " " + target, e);
      reject(ErrorCode.INTERNAL, now);
      return CoordinatorResponse.json(ErrorCode.INTERNAL.httpStatus(),
          Envelope.error(ErrorCode.INTERNAL, "internal error; nothing was applied", ts),
          OptionalInt.empty());
    }
  }

  private Router routes() {
    return new Router()
        .add("GET", "/v1/health", c -> Answer.of(new HealthResponse(WireMapper.unix(now()))))
        .add("POST", "/v1/nodes/heartbeat", c -> Answer.of(WireMapper.heartbeat(
            heartbeat(parse(c, HeartbeatRequest::fromJson), c.remote()))))
        .add("GET", "/v1/nodes", c -> Answer.of(nodesView(c)))
        .add("POST", "/v1/jobs/next", c -> Answer.of(WireMapper.jobNext(
            nextJob(parse(c, NodeRequest::fromJson).nodeId()))))
        .add("POST", "/v1/jobs/{job_id}/proof", c -> Answer.of(WireMapper.receipt(submitJobProof(
            OptionalLong.of(pathJobId(c.param("job_id"))), parse(c, JobProofRequest::fromJson)))))
        .add("POST", "/v1/jobs/proof", c -> Answer.of(WireMapper.receipt(submitJobProof(
            OptionalLong.empty(), parse(c, JobProofRequest::fromJson)))))
        .add("POST", "/jobs/proof", c -> Answer.of(WireMapper.receipt(submitJobProof(
            OptionalLong.empty(), parse(c, JobProofRequest::fromJson)))))
        .add("GET", "/v1/jobs", c -> Answer.of(new ListResponse<>(stores.jobs()
            .jobs(c.target().u64("after"), limit(c)).stream().map(WireMapper::job).toList())))
        .add("GET", "/v1/jobs/summary", c -> Answer.of(jobsSummary()))
        .add("GET", "/v1/jobs/recent", c -> Answer.of(new ListResponse<>(stores.jobs()
            .recent(limit(c)).stream().map(j -> WireMapper.recentJob(j, proofOf(j))).toList())))
        .add("GET", "/v1/proofs", c -> Answer.of(new ListResponse<>(stores.ledger()
            .recent(c.target().u64("before"), limit(c)).stream().map(WireMapper::proof).toList())))
        .add("POST", "/v1/dags/submit", c -> Answer.of(WireMapper.dagSubmitted(
            admitted(ComputeDag.fromSubmitBody(c.body(), dagAdmission.limits())))))
        .add("GET", "/v1/dags", c -> Answer.of(new ListResponse<>(stores.leases()
            .dags(c.target().param("after").map(DagId::of), limit(c)).stream()
            .map(WireMapper::dag).toList())))
        .add("GET", "/v1/dags/{dag_id}", c -> Answer.of(WireMapper.dag(
            runs.dag(DagId.of(c.param("dag_id"))))))
        .add("GET", "/v1/dags/{dag_id}/spec", c -> Answer.of(dagSpec(c)))
        .add("POST", "/v1/dags/{dag_id}/runs", c -> Answer.of(WireMapper.runCreated(
            createRun(DagId.of(c.param("dag_id"))))))
        .add("GET", "/v1/runs/{run_id}", c -> Answer.of(WireMapper.runStatus(
            runStatus(RunId.of(c.param("run_id"))))))
        .add("GET", "/v1/runs/{run_id}/tasks", c -> Answer.of(runTasks(c)))
        .add("POST", "/v1/runs/{run_id}/next", c -> Answer.of(WireMapper.taskNext(nextTask(
            RunId.of(c.param("run_id")), parse(c, NodeRequest::fromJson).nodeId()))))
        .add("POST", "/v1/runs/{run_id}/tasks/{task_id}/renew", c -> Answer.of(WireMapper.renewed(
            renewTask(run(c), task(c), parse(c, RenewRequest::fromJson)))))
        .add("POST", "/v1/runs/{run_id}/tasks/{task_id}/proof", c -> Answer.of(
            WireMapper.taskAccepted(submitTaskProof(run(c), task(c),
                parse(c, TaskProofRequest::fromJson)))))
        .add("POST", "/v1/runs/{run_id}/tasks/{task_id}/fail", c -> Answer.of(
            WireMapper.taskFailed(failTask(run(c), task(c), parse(c, FailRequest::fromJson)))))
        .add("GET", "/v1/ledger/key", c -> Answer.of(ledger().key()))
        .add("GET", "/v1/ledger/checkpoint", c -> new Answer.Raw(LedgerService.TEXT,
            ledger().checkpoint()))
        .add("GET", "/v1/ledger/entries", c -> new Answer.Raw(LedgerService.NDJSON,
            ledger().entries(c.target().u64("start"), c.target().u64("end"))))
        .add("GET", "/v1/ledger/proof/inclusion", c -> Answer.of(ledger().inclusion(
            c.target().u64("index"), c.target().u64("size"))))
        .add("GET", "/v1/ledger/proof/consistency", c -> Answer.of(ledger().consistency(
            c.target().u64("first"), c.target().u64("second"))))
        .add("GET", "/v1/metrics", c -> Answer.of(metrics()))
        .add("GET", "/v1/dashboard/overview", c -> Answer.of(dashboard()));
  }

  private LedgerService ledger() {
    return ledger.orElseThrow(LedgerService::disabled);
  }

  private static RunId run(Router.Call c) {
    return RunId.of(c.param("run_id"));
  }

  private static TaskId task(Router.Call c) {
    return TaskId.of(c.param("task_id"));
  }

  private <T> T parse(Router.Call c, Function<JsonObject, T> read) {
    return read.apply(Fields.object(reader.read(c.body()), "request body"));
  }

  private int limit(Router.Call c) {
    OptionalLong asked = c.target().u64("limit");
    CoordinatorLimits l = admission.limits();
    if (asked.isEmpty()) {
      return l.defaultPageSize();
    }
    if (asked.getAsLong() < 1 || asked.getAsLong() > l.maxPageSize()) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "limit must be between 1 and " + l.maxPageSize());
    }
    return (int) asked.getAsLong();
  }

  private static long pathJobId(String segment) {
    boolean digits = !segment.isEmpty() && segment.length() <= 20
        && segment.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digits) {
      try {
        return Long.parseUnsignedLong(segment);
      } catch (NumberFormatException e) {
        // beyond 2^64-1: no such job
      }
    }
    throw new KasComputeException(ErrorCode.UNKNOWN_JOB, "no job has id " + segment);
  }

  // ------------------------------------------------------------------------------------------
  // Typed entry points
  // ------------------------------------------------------------------------------------------

  /**
   * Records a heartbeat: admits its fields, checks the key and, when signed, the signature (the
   * SDK's heartbeat payload or the launcher's {@code hb|} message) and its timestamp; pins the key
   * on proof of possession (or, under {@code V1_COMPAT}, on first use); applies a rotation the
   * pinned key consented to; locates the node with the geo hook.
   *
   * @throws KasComputeException {@code key_mismatch}, {@code bad_signature}, {@code
   *     timestamp_out_of_window}, {@code directory_full}, {@code invalid_geo}, ...
   */
  public NodeRecord heartbeat(HeartbeatRequest request, Optional<String> remoteAddress) {
    return identity.heartbeat(request, remoteAddress, now());
  }

  /**
   * Replaces a node's pinned key by an operator's decision, recorded as such in the directory.
   *
   * @throws KasComputeException {@code unknown_node} if the node has no pinned key, {@code
   *     invalid_public_key} for an unusable new key
   */
  public NodeRecord rotateKey(NodeId node, PublicKeyBytes newKey) {
    return identity.rotateByOperator(node, newKey, now());
  }

  /** Leases the next plain job to the node; empty when none is pending or the node never sent a heartbeat. */
  public Optional<JobGrant> nextJob(NodeId node) {
    return jobs.next(node, now());
  }

  /**
   * Verifies a job proof against the pinned key of its node (or of its {@code miner_id}) in
   * either scheme and, when it passes, completes the job, records the proof and returns the
   * receipt.
   *
   * @param pathJobId the job id of {@code /v1/jobs/{job_id}/proof}; empty takes the body's
   * @throws KasComputeException {@code unknown_job}, {@code work_units_mismatch}, {@code
   *     unknown_node}, {@code unknown_miner}, {@code missing_signature}, {@code bad_signature},
   *     lease refusals, ...
   */
  public JobAcceptance submitJobProof(OptionalLong pathJobId, JobProofRequest request) {
    JobAcceptance a = jobs.submit(pathJobId, request, now());
    if (!a.repeat()) {
      local.recordProof(a.proof().elapsedMs(), a.proof().accepted());
    }
    return a;
  }

  /**
   * Adds a plain job to the shared pool and returns its id (unique across the coordinators of the
   * store).
   */
  public long addJob(long workUnits) {
    return stores.jobs().add(workUnits, now());
  }

  /**
   * Compiles a DAG spec, checks it against the {@linkplain Builder#dagAdmission admission policy}
   * and stores it; submitting the same DAG again answers the same ids.
   *
   * @throws io.kascompute.dag.DagValidationException if the spec is invalid or the policy refuses it
   */
  public ComputeDag submitDag(DagSpec spec) {
    return admitted(ComputeDag.compile(spec, dagAdmission.limits()));
  }

  private ComputeDag admitted(ComputeDag dag) {
    dagAdmission.check(dag);
    return runs.submit(dag);
  }

  /** Creates a run of a stored DAG. */
  public RunId createRun(DagId dag) {
    return runs.createRun(dag, now());
  }

  /**
   * Deletes a finished run (an operator's call; runs are also let go by the store's retention
   * bounds).
   *
   * @return false if no such run exists
   * @throws KasComputeException {@code run_not_finished} while the run still has work
   */
  public boolean deleteRun(RunId run) {
    return stores.leases().deleteRun(run);
  }

  /** Leases the head of the run's ready queue to the node; empty when none is ready or the node is unknown. */
  public Optional<TaskGrant> nextTask(RunId run, NodeId node) {
    return runs.next(run, node, now());
  }

  /** Extends the node's lease on a task. */
  public TaskRenewal renewTask(RunId run, TaskId task, RenewRequest request) {
    return runs.renew(run, task, request, now());
  }

  /**
   * Verifies a task proof against the task's hash and work units and the node's pinned key and,
   * when it passes, completes the task, records the proof and unlocks its dependents.
   */
  public TaskAcceptance submitTaskProof(RunId run, TaskId task, TaskProofRequest request) {
    TaskAcceptance a = runs.submit(run, task, request, now());
    if (!a.completion().repeat()) {
      local.recordProof(a.proof().elapsedMs(), a.proof().accepted());
    }
    return a;
  }

  /** Records that the node failed a task (an SDK extension); it is retried or failed for good. */
  public TaskFailure failTask(RunId run, TaskId task, FailRequest request) {
    return runs.fail(run, task, request, now());
  }

  /** The run's counts and state. */
  public RunStatus runStatus(RunId run) {
    return runs.status(run);
  }

  /** The figures of the metrics window ending now. */
  public MetricsResponse metrics() {
    Instant now = now();
    ProofWindow w = stores.ledger().window(now.minus(metricsWindow), now);
    PresenceCounts p = stores.directory().counts(now, activity, onlineTtl);
    MetricsAggregator.Snapshot s = local.snapshot(now);
    double windowSeconds = metricsWindow.toMillis() / 1000.0;
    return new MetricsResponse(WireMapper.unix(now), metricsWindow.toSeconds(), p.activeNodes(),
        p.activeMiners(), w.jobs(), w.jobs() / (windowSeconds / 60.0), w.averageJobMillis(),
        w.jobs(), activity.toSeconds(), p.online(), w.tasks(), w.workUnits(),
        unsignedToDouble(w.workUnits()) / windowSeconds, s.elapsedMsP50(), s.elapsedMsP95(),
        s.elapsedMsP99(), s.rejections());
  }

  // ------------------------------------------------------------------------------------------
  // Read views
  // ------------------------------------------------------------------------------------------

  private ListResponse<io.kascompute.core.wire.NodeView> nodesView(Router.Call c) {
    Instant now = now();
    List<NodeRecord> page = stores.directory()
        .nodes(c.target().param("after").map(NodeId::of), limit(c));
    return new ListResponse<>(page.stream().map(r -> WireMapper.node(r, now, onlineTtl)).toList());
  }

  private JobsSummary jobsSummary() {
    JobCounts j = stores.jobs().counts();
    return new JobsSummary(j.pending(), j.running(), j.completed(), j.expired());
  }

  private Optional<RecordedProof> proofOf(JobRecord j) {
    return j.proofHash().flatMap(h -> stores.ledger().find(h));
  }

  private io.kascompute.core.wire.DagSpecView dagSpec(Router.Call c) {
    ComputeDag dag = runs.dag(DagId.of(c.param("dag_id")));
    int from = 0;
    Optional<String> after = c.target().param("after");
    if (after.isPresent()) {
      from = dag.indexOf(TaskId.of(after.get())).orElseThrow(() -> new KasComputeException(
          ErrorCode.UNKNOWN_TASK, "DAG " + dag.id() + " has no task " + after.get())) + 1;
    }
    return WireMapper.dagSpec(dag, from, limit(c));
  }

  private ListResponse<io.kascompute.core.wire.RunTaskView> runTasks(Router.Call c) {
    RunId run = run(c);
    ComputeDag dag = runs.dagOf(run);
    return new ListResponse<>(runs.tasks(run, c.target().param("after").map(TaskId::of), limit(c))
        .stream().map(t -> WireMapper.runTask(t, dag)).toList());
  }

  private DashboardOverview dashboard() {
    Instant now = now();
    ProofWindow w = stores.ledger().window(now.minus(metricsWindow), now);
    PresenceCounts p = stores.directory().counts(now, activity, onlineTtl);
    return new DashboardOverview(WireMapper.unix(now), metricsWindow.toSeconds(), p.activeNodes(),
        p.activeMiners(), p.online(), w.proofs(), w.verified(), w.jobs(), w.tasks(), w.workUnits(),
        p.known(), p.pinned(), stores.ledger().size(), jobsSummary());
  }

  // ------------------------------------------------------------------------------------------

  private Instant now() {
    try {
      return clock.instant();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "the coordinator's clock failed", e);
      return Instant.EPOCH;
    }
  }

  private void reject(ErrorCode code, Instant now) {
    try {
      local.recordRejection(code, now);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not record a rejection in the metrics", e);
    }
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }

  private static String randomId() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    return "coordinator-" + HexCodec.encode(b);
  }

  /** Configures a {@link Coordinator}; every setting has a default. */
  public static final class Builder {
    Clock clock = Clock.systemUTC();
    CoordinatorStores stores;
    VerificationPolicy policy = VerificationPolicy.STRICT;
    GeoEnricher geo = GeoEnricher.fromHeartbeat();
    LeasePolicy taskLeases = LeasePolicy.TASK_DEFAULT;
    LeasePolicy jobLeases = LeasePolicy.JOB_DEFAULT;
    CoordinatorLimits limits = CoordinatorLimits.DEFAULT;
    DagAdmission dagAdmission = DagAdmission.strict();
    int maxBodyBytes = 1 << 20;
    Optional<NodeKeyPair> signingKey = Optional.empty();
    Optional<String> ledgerOrigin = Optional.empty();
    String coordinatorId;
    Duration metricsWindow = Duration.ofSeconds(300);
    Duration activity = Duration.ofSeconds(90);
    Duration onlineTtl = Duration.ofSeconds(180);
    Duration heartbeatWindow = Duration.ofSeconds(300);

    private Builder() {}

    /** The clock every time decision reads (default: the UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where everything the coordinator remembers lives (default: a new in-memory set, {@link
     * CoordinatorStores#inMemory()}); {@code JdbcStores.create(dataSource)} puts it all on
     * PostgreSQL, shared by every coordinator on that database.
     */
    public Builder stores(CoordinatorStores stores) {
      this.stores = Objects.requireNonNull(stores, "stores");
      return this;
    }

    /** What is accepted unverified (default {@link VerificationPolicy#STRICT}). */
    public Builder verificationPolicy(VerificationPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
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

    /** Job lease duration and attempts (default {@link LeasePolicy#JOB_DEFAULT}: 60 s, 3). */
    public Builder jobLeasePolicy(LeasePolicy policy) {
      this.jobLeases = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Admission bounds of ids and stored fields, and page sizes (default {@link CoordinatorLimits#DEFAULT}). */
    public Builder limits(CoordinatorLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * What a submitted DAG must satisfy beyond V1's own validation, and the bounds it is read
     * with (default {@link DagAdmission#strict()}: no empty DAGs, no control characters in task
     * ids, no repeated edges, names, ids, types and params within {@link
     * io.kascompute.dag.DagLimits#DEFAULT}); {@link DagAdmission#v1()} admits what deployed V1
     * admits.
     */
    public Builder dagAdmission(DagAdmission admission) {
      this.dagAdmission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /**
     * The largest request body accepted, in bytes (default 1 MiB); larger ones get {@code
     * body_too_large}.
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The coordinator's own key: job receipts then carry {@code coordinator_public_key_hex} and
     * {@code coordinator_signature} over the receipt payload, and the ledger endpoints ({@code
     * /v1/ledger/*}) serve checkpoints signed with it (default: none, and no ledger endpoints).
     * Coordinators sharing one store should share this key and {@link #ledgerOrigin}.
     */
    public Builder signingKey(NodeKeyPair key) {
      this.signingKey = Optional.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * The ledger's origin: the first line of its checkpoints and the key name of their signature
     * (default {@code kascompute/} and the first 16 hex digits of the coordinator key); non-empty,
     * without spaces, {@code +} or control characters.
     *
     * @throws IllegalArgumentException for an origin that cannot be a signed-note key name
     */
    public Builder ledgerOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      if (origin.isEmpty() || origin.chars().anyMatch(ch -> ch == ' ' || ch == '+' || Character.isISOControl(ch))) {
        throw new IllegalArgumentException(
            "the ledger origin must be non-empty, without spaces, + or control characters");
      }
      this.ledgerOrigin = Optional.of(origin);
      return this;
    }

    /**
     * The id recorded with every proof this coordinator accepts (default: {@code coordinator-}
     * and 12 random hex digits, new at every start); 1 to 128 characters without control
     * characters.
     */
    public Builder coordinatorId(String id) {
      Objects.requireNonNull(id, "id");
      if (id.isEmpty() || id.length() > 128 || id.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
        throw new IllegalArgumentException("coordinator id must be 1..128 printable characters");
      }
      this.coordinatorId = id;
      return this;
    }

    /** The metrics window (default 300 s; at most one hour). */
    public Builder metricsWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.toMillis() < MetricsAggregator.BUCKETS || window.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("the metrics window must be 30 ms to 1 h: " + window);
      }
      this.metricsWindow = window;
      return this;
    }

    /** How recent a heartbeat makes a node count as active in the metrics (default 90 s). */
    public Builder activityPeriod(Duration period) {
      this.activity = positive(period, "activity");
      return this;
    }

    /** How long after its last heartbeat a node counts as online (default 180 s). */
    public Builder onlineTtl(Duration ttl) {
      this.onlineTtl = positive(ttl, "onlineTtl");
      return this;
    }

    /** How far a signed heartbeat's {@code timestamp_unix} may lie from the clock (default 300 s). */
    public Builder heartbeatWindow(Duration window) {
      this.heartbeatWindow = positive(window, "heartbeatWindow");
      return this;
    }

    /** The coordinator. */
    public Coordinator build() {
      return new Coordinator(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
