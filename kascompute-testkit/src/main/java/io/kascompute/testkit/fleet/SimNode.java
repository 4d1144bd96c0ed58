package io.kascompute.testkit.fleet;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.JobLease;
import io.kascompute.core.wire.JobNextResponse;
import io.kascompute.core.wire.JobProofReceipt;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.wire.NodeRequest;
import io.kascompute.core.wire.PathSegments;
import io.kascompute.core.wire.RenewRequest;
import io.kascompute.core.wire.TaskLease;
import io.kascompute.core.wire.TaskNextResponse;
import io.kascompute.core.wire.TaskProofAccepted;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.crypto.ProofSignature;
import io.kascompute.crypto.ProofSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * One simulated stateless node: heartbeats, pulls DAG tasks and jobs, signs proofs, injects
 * faults. An {@link Style#SDK} node talks the SDK's way (signed heartbeat payload, digest-scheme
 * proofs, lease epochs); a {@link Style#LAUNCHER} node sends exactly what the public node
 * launcher sends (the {@code hb|} and {@code pf|} schemes, its field names, its work-unit rule,
 * no epochs) and works on plain jobs only.
 */
final class SimNode implements Runnable {
  static final String CLIENT_VERSION = "kascompute-fleet/0.2.0";
  private static final List<String> ROLES = List.of("node", "miner");
  private static final String LAUNCHER_PROFILE = "cpu-standard";
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(30);
  private static final long RENEW_ABOVE_WORK_UNITS = 700;
  private static final int IDLE_POLLS_BEFORE_DONE = 20;
  /** Refusals an honest node can get when its lease moved on (expired, re-granted) while it worked. */
  private static final Set<String> LEASE_LOSS =
      Set.of("stale_lease", "lease_expired", "not_owner", "task_not_running", "already_completed");

  /** How a node talks to the coordinator. */
  enum Style {
    /** The SDK's own client. */
    SDK,
    /** The public node launcher. */
    LAUNCHER
  }

  private final NodeKey key;
  private final Style style;
  private final V1Client client;
  private final Fleet.Settings settings;
  private final FleetStats stats;
  private final Optional<ProofLog> log;
  private final SplittableRandom random;
  private final RunTracker runs;
  private final BooleanSupplier stop;
  private Instant lastHeartbeat = Instant.MIN;
  private TaskProofRequest lastTaskProof;
  private JobProofRequest lastJobProof;
  private int idlePolls;

  SimNode(NodeKey key, Style style, V1Client client, Fleet.Settings settings, FleetStats stats,
      Optional<ProofLog> log, SplittableRandom random, RunTracker runs, BooleanSupplier stop) {
    this.key = key;
    this.style = style;
    this.client = client;
    this.settings = settings;
    this.stats = stats;
    this.log = log;
    this.random = random;
    this.runs = runs;
    this.stop = stop;
  }

  @Override
  public void run() {
    try {
      while (step()) {
        // each step is one turn of the node's work loop
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      connectionFailed(e);
    }
  }

  /**
   * One turn of the node: a heartbeat when due, then one task or job (or an idle poll if none is
   * ready); false once the node is done (stopped, its runs finished, or idle for good).
   */
  boolean step() throws IOException, InterruptedException {
    if (stop.getAsBoolean()) {
      return false;
    }
    if (settings.untilIdle() && runs.tracking() && runs.allFinished()) {
      return false; // every tracked run is over; plain jobs alone do not keep the fleet going
    }
    heartbeatIfDue();
    boolean worked = false;
    if (style == Style.SDK) {
      for (String run : runs.unfinished()) {
        if (tryTask(run)) {
          worked = true;
          break;
        }
      }
    }
    if (!worked && settings.pullJobs()) {
      worked = tryJob();
    }
    if (worked) {
      idlePolls = 0;
      return true;
    }
    idlePolls++;
    if (settings.untilIdle() && !runs.tracking() && idlePolls >= IDLE_POLLS_BEFORE_DONE) {
      return false;
    }
    settings.time().idle();
    return true;
  }

  /** Records that the node lost its connection to the coordinator (which ends the node). */
  void connectionFailed(IOException e) {
    String m = null;
    for (Throwable t = e; t != null && (m == null || m.isBlank()); t = t.getCause()) {
      m = t.getMessage();
    }
    stats.unexpected(key.nodeId() + ": connection failed: "
        + (m == null || m.isBlank() ? "input/output error" : m));
  }

  // --- heartbeats -------------------------------------------------------------------------------

  private void heartbeatIfDue() throws IOException, InterruptedException {
    Instant now = settings.time().now();
    if (lastHeartbeat != Instant.MIN
        && Duration.between(lastHeartbeat, now).compareTo(HEARTBEAT_EVERY) < 0) {
      return;
    }
    long ts = now.getEpochSecond();
    NodeId id = key.nodeId();
    ProofSigner signer = key.signer();
    HeartbeatRequest hb = style == Style.SDK
        ? new HeartbeatRequest(id, key.publicKeyHex(), Optional.of(ROLES), Optional.empty(),
            Optional.of(CLIENT_VERSION), Optional.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), Optional.empty(), OptionalLong.of(ts),
            Optional.of(signer.signHeartbeat(
                new HeartbeatPayload(id, key.publicKeyHex(), ROLES, CLIENT_VERSION, ts))),
            Optional.empty())
        : new HeartbeatRequest(id, key.publicKeyHex(), Optional.empty(),
            Optional.of(new JsonString(LAUNCHER_PROFILE)), Optional.empty(), Optional.of("sim"),
            OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(), OptionalLong.of(ts),
            Optional.of(signer.signLauncherHeartbeat(new LauncherHeartbeat(id, LAUNCHER_PROFILE, ts))),
            Optional.empty());
    if (honest(client.post("/v1/nodes/heartbeat", hb), "heartbeat")) {
      lastHeartbeat = now;
    }
  }

  // --- DAG tasks --------------------------------------------------------------------------------

  private boolean tryTask(String run) throws IOException, InterruptedException {
    V1Client.Answer a = client.post("/v1/runs/" + run + "/next", new NodeRequest(key.nodeId()));
    if (!a.ok()) {
      if (a.code().equals("run_finished")) {
        runs.finished(run);
      } else {
        honest(a, "task next");
      }
      return false;
    }
    Optional<TaskLease> task = a.as(TaskNextResponse::fromJson).task();
    if (task.isEmpty()) {
      runs.refresh(run, client);
      return false;
    }
    TaskLease g = task.get();
    String proofPath = taskPath(g) + "/proof";
    Optional<Fault> fault = pickFault(true);
    if (fault.isPresent()) {
      Fault f = fault.get();
      stats.injected(f);
      switch (f) {
        case ABANDON -> {
          stats.faultsExpected.increment();
          return true;
        }
        case RUN_PAST_LEASE -> {
          // lease_expires_unix is truncated to whole seconds: the lease surely ended one second later
          settings.time().waitUntilPast(Instant.ofEpochSecond(g.leaseExpiresUnix()).plusSeconds(1));
          check(f, client.post(taskPath(g) + "/renew", renew(g.leaseEpoch())));
          return true;
        }
        case STALE_EPOCH -> check(f, client.post(proofPath,
            taskProof(g, OptionalLong.of(staleEpoch(g.leaseEpoch())), false)));
        case TAMPERED_SIGNATURE -> check(f, client.post(proofPath,
            taskProof(g, OptionalLong.of(g.leaseEpoch()), true)));
        case REPLAYED_PROOF -> check(f, client.post(proofPath, lastTaskProof));
      }
    }
    if (g.workUnits() > RENEW_ABOVE_WORK_UNITS
        && !honest(client.post(taskPath(g) + "/renew", renew(g.leaseEpoch())), "renew " + g.taskId())) {
      return true;
    }
    TaskProofRequest proof = taskProof(g, OptionalLong.of(g.leaseEpoch()), false);
    V1Client.Answer done = client.post(proofPath, proof);
    if (honest(done, "task proof " + g.taskId())) {
      if (!done.as(TaskProofAccepted::fromJson).repeat()) {
        stats.completed(run, g.taskId().value());
      }
      // a replay later goes to another task, without the epoch
      lastTaskProof = new TaskProofRequest(proof.nodeId(), proof.workUnits(), proof.elapsedMs(),
          proof.clientVersion(), proof.timestampUnix(), proof.signatureHex(), proof.publicKeyHex(),
          proof.proofHash(), OptionalLong.empty());
    }
    return true;
  }

  /** An epoch that is not the current one: the previous grant's, or one far ahead for a first grant. */
  private static long staleEpoch(long epoch) {
    return epoch > 1 ? epoch - 1 : epoch + 1000;
  }

  private static String taskPath(TaskLease g) {
    return "/v1/runs/" + PathSegments.encode(g.runId().value()) + "/tasks/"
        + PathSegments.encode(g.taskId().value());
  }

  private RenewRequest renew(long epoch) {
    return new RenewRequest(key.nodeId(), OptionalLong.of(epoch));
  }

  private TaskProofRequest taskProof(TaskLease g, OptionalLong epoch, boolean tamper) {
    long ts = settings.time().now().getEpochSecond();
    long elapsed = 1 + g.workUnits() * 3;
    TaskProofPayload p = new TaskProofPayload(key.nodeId(), g.runId(), g.taskId(), g.taskHash(),
        g.workUnits(), elapsed, CLIENT_VERSION, ts);
    ProofSignature s = key.signer().signTaskProof(p);
    return new TaskProofRequest(key.nodeId(), g.workUnits(), elapsed, Optional.of(CLIENT_VERSION),
        OptionalLong.of(ts), Optional.of(tamper ? tamper(s.signature()) : s.signature()),
        Optional.of(s.publicKeyHex()), Optional.of(s.proofHash()), epoch);
  }

  // --- plain jobs -------------------------------------------------------------------------------

  private boolean tryJob() throws IOException, InterruptedException {
    V1Client.Answer a = client.post("/v1/jobs/next", new NodeRequest(key.nodeId()));
    if (!honest(a, "job next")) {
      return false;
    }
    Optional<JobLease> job = a.as(JobNextResponse::fromJson).job();
    if (job.isEmpty()) {
      return false;
    }
    JobLease j = job.get();
    String path = "/v1/jobs/" + Long.toUnsignedString(j.id()) + "/proof";
    OptionalLong epoch = style == Style.SDK ? OptionalLong.of(j.leaseEpoch()) : OptionalLong.empty();
    Optional<Fault> fault = pickFault(false);
    if (fault.isPresent()) {
      Fault f = fault.get();
      stats.injected(f);
      switch (f) {
        case ABANDON -> {
          stats.faultsExpected.increment();
          return true;
        }
        case STALE_EPOCH -> check(f, client.post(path,
            jobRequest(jobProof(j), OptionalLong.of(staleEpoch(j.leaseEpoch())))));
        case TAMPERED_SIGNATURE -> {
          JobProofSubmission s = jobProof(j);
          check(f, client.post(path, jobRequest(new JobProofSubmission(s.nodeId(), s.minerId(),
              s.jobId(), s.workUnits(), s.workloadMode(), s.elapsedMs(), s.clientVersion(), s.ts(),
              s.proofHash(), tamper(s.signature()), s.publicKeyHex()), epoch)));
        }
        case REPLAYED_PROOF -> check(f, client.post(path, lastJobProof));
        case RUN_PAST_LEASE -> throw new IllegalStateException("jobs have no renew endpoint");
      }
    }
    JobProofSubmission proof = jobProof(j);
    JobProofRequest request = jobRequest(proof, epoch);
    V1Client.Answer done = client.post(path, request);
    if (honest(done, "job proof " + Long.toUnsignedString(j.id()))) {
      JobProofReceipt receipt = done.as(JobProofReceipt::fromJson);
      if (!receipt.signatureVerified()) {
        stats.unexpected(key.nodeId() + ": job proof " + j.id() + " accepted without a verified signature");
      }
      stats.jobsAccepted.increment();
      log.ifPresent(l -> l.append(proof.toJsonBytes()));
      // a replay later goes to another job: the body without job id and epoch
      lastJobProof = new JobProofRequest(request.nodeId(), request.minerId(), OptionalLong.empty(),
          request.workUnits(), request.workloadMode(), request.elapsedMs(), request.clientVersion(),
          request.timestampUnix(), request.proofHash(), request.signatureHex(),
          request.publicKeyHex(), request.resultHash(), OptionalLong.empty());
    }
    return true;
  }

  /**
   * The node's signed proof for a job: in the digest scheme for an SDK node; for a launcher node
   * in the launcher scheme, with the launcher's work units {@code max(50000, min(job, 2000000))}.
   */
  private JobProofSubmission jobProof(JobLease j) {
    long ts = settings.time().now().getEpochSecond();
    if (style == Style.SDK) {
      return key.signer().signJobProof(new JobProofPayload(key.nodeId(), Optional.empty(), j.id(),
          j.workUnits(), JobProofPayload.DEFAULT_WORKLOAD_MODE, 1 + j.workUnits() * 3,
          CLIENT_VERSION, ts));
    }
    long units = Math.max(50_000, Math.min(j.workUnits(), 2_000_000));
    return key.signer().signLauncherJobProof(new JobProofPayload(key.nodeId(), Optional.empty(),
        j.id(), units, "sim", 1 + units / 1000, JobProofRequest.LAUNCHER_CLIENT_VERSION, ts));
  }

  /** The request body: the SDK's (job id in the body, the epoch when given) or the launcher's. */
  private JobProofRequest jobRequest(JobProofSubmission s, OptionalLong epoch) {
    if (style == Style.SDK) {
      return JobProofRequest.of(s, epoch);
    }
    String result = Sha256Digest.hash(("result|" + s.jobId()).getBytes(StandardCharsets.US_ASCII)).hex();
    return new JobProofRequest(s.nodeId(), Optional.empty(), OptionalLong.empty(), s.workUnits(),
        s.workloadMode(), s.elapsedMs(), s.clientVersion(), OptionalLong.of(s.ts()),
        Optional.empty(), Optional.of(s.signature()), Optional.empty(), Optional.of(result), epoch);
  }

  // --- faults and answers -----------------------------------------------------------------------

  private Optional<Fault> pickFault(boolean task) {
    if (settings.faultRate() <= 0 || random.nextDouble() >= settings.faultRate()) {
      return Optional.empty();
    }
    Fault[] all = Fault.values();
    for (int tries = 0; tries < 8; tries++) {
      Fault f = all[random.nextInt(all.length)];
      if (f == Fault.RUN_PAST_LEASE && !task) {
        continue;
      }
      if (f == Fault.STALE_EPOCH && style == Style.LAUNCHER) {
        continue; // the launcher sends no epochs
      }
      if (f == Fault.REPLAYED_PROOF && (task ? lastTaskProof == null : lastJobProof == null)) {
        continue;
      }
      return Optional.of(f);
    }
    return Optional.empty();
  }

  private void check(Fault f, V1Client.Answer a) {
    if (!a.ok()) {
      stats.refusal(a.code());
    }
    if (f.refusedAsExpected(a.status(), a.code(), style)) {
      stats.faultsExpected.increment();
    } else {
      stats.faultsUnexpected.increment();
      stats.unexpected(key.nodeId() + ": fault " + f + " expected " + f.expectedStatus() + " "
          + f.expectedCodes(style) + " but got " + a);
    }
  }

  /** Counts an honest request's answer; true if it was accepted. */
  private boolean honest(V1Client.Answer a, String what) {
    if (a.ok()) {
      return true;
    }
    stats.refusal(a.code());
    if (LEASE_LOSS.contains(a.code()) && a.status() == 409) {
      stats.leaseLosses.increment();
    } else if (!(a.status() == 503 && a.code().equals("overloaded"))) {
      stats.unexpected(key.nodeId() + ": " + what + " refused: " + a);
    }
    return false;
  }

  /** Changes one hex digit inside the signature's R half, so it stays well-formed but cannot verify. */
  static String tamper(String hex) {
    int i = 10;
    char flipped = hex.charAt(i) == '0' ? '1' : '0';
    return hex.substring(0, i) + flipped + hex.substring(i + 1);
  }

  NodeId nodeId() {
    return key.nodeId();
  }
}
