package io.kascompute.testkit.fleet;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.ProofSignature;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/** One simulated stateless node: heartbeats, pulls DAG tasks and jobs, signs proofs, injects faults. */
final class SimNode implements Runnable {
  static final String CLIENT_VERSION = "kascompute-fleet/0.1.0";
  private static final List<String> ROLES = List.of("node", "miner");
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(30);
  private static final long RENEW_ABOVE_WORK_UNITS = 700;
  private static final int IDLE_POLLS_BEFORE_DONE = 20;
  /** Refusals an honest node can get when its lease moved on (expired, re-granted) while it worked. */
  private static final Set<String> LEASE_LOSS =
      Set.of("stale_lease", "lease_expired", "not_owner", "task_not_running", "already_completed");

  private final NodeKey key;
  private final V1Client client;
  private final Fleet.Settings settings;
  private final FleetStats stats;
  private final Optional<ProofLog> log;
  private final SplittableRandom random;
  private final RunTracker runs;
  private final BooleanSupplier stop;
  private Instant lastHeartbeat = Instant.MIN;
  private TaskProofParts lastTaskProof;
  private JobProofSubmission lastJobProof;

  SimNode(NodeKey key, V1Client client, Fleet.Settings settings, FleetStats stats,
      Optional<ProofLog> log, SplittableRandom random, RunTracker runs, BooleanSupplier stop) {
    this.key = key;
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
    int idlePolls = 0;
    try {
      while (!stop.getAsBoolean()) {
        heartbeatIfDue();
        boolean worked = false;
        for (String run : runs.unfinished()) {
          if (tryTask(run)) {
            worked = true;
            break;
          }
        }
        if (!worked && settings.pullJobs()) {
          worked = tryJob();
        }
        if (worked) {
          idlePolls = 0;
          continue;
        }
        idlePolls++;
        if (settings.untilIdle() && runs.allFinished()
            && (runs.tracking() || idlePolls >= IDLE_POLLS_BEFORE_DONE)) {
          return;
        }
        settings.time().idle();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      stats.unexpected(key.nodeId() + ": connection failed: " + e);
    }
  }

  // --- heartbeats -------------------------------------------------------------------------------

  private void heartbeatIfDue() throws IOException, InterruptedException {
    Instant now = settings.time().now();
    if (Duration.between(lastHeartbeat, now).compareTo(HEARTBEAT_EVERY) < 0 && lastHeartbeat != Instant.MIN) {
      return;
    }
    long ts = now.getEpochSecond();
    HeartbeatPayload payload =
        new HeartbeatPayload(key.nodeId(), key.publicKeyHex(), ROLES, CLIENT_VERSION, ts);
    JsonWriter w = new JsonWriter(320);
    w.raw('{').key("node_id").string(key.nodeId().value());
    w.raw(',').key("public_key_hex").string(key.publicKeyHex());
    w.raw(',').key("roles").raw("[\"node\",\"miner\"]");
    w.raw(',').key("client_version").string(CLIENT_VERSION);
    w.raw(',').key("timestamp_unix").unsigned(ts);
    w.raw(',').key("signature_hex").string(key.sign(payload)).raw('}');
    V1Client.Answer a = client.post("/v1/nodes/heartbeat", w.toByteArray());
    if (honest(a, "heartbeat")) {
      lastHeartbeat = now;
    }
  }

  // --- DAG tasks --------------------------------------------------------------------------------

  private boolean tryTask(String run) throws IOException, InterruptedException {
    V1Client.Answer a = client.post("/v1/runs/" + run + "/next", nodeBody());
    if (!a.ok()) {
      if (a.code().equals("run_finished")) {
        runs.finished(run);
      } else {
        honest(a, "task next");
      }
      return false;
    }
    Optional<JsonObject> task = object(a.data().get(), "task");
    if (task.isEmpty()) {
      runs.refresh(run, client);
      return false;
    }
    JsonObject t = task.get();
    Grant g = new Grant(run, str(t, "task_id"), Sha256Digest.fromHex(str(t, "task_hash")),
        num(t, "work_units"), Instant.ofEpochSecond(num(t, "lease_expires_unix")),
        num(t, "lease_epoch"));
    String proofPath = "/v1/runs/" + run + "/tasks/" + g.taskId + "/proof";
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
          settings.time().waitUntilPast(g.leaseExpires.plusSeconds(1));
          check(f, client.post(renewPath(g), renewBody(g.epoch)));
          return true;
        }
        case STALE_EPOCH -> check(f, client.post(proofPath, taskProof(g).body(OptionalLong.of(staleEpoch(g.epoch)))));
        case TAMPERED_SIGNATURE -> check(f, client.post(proofPath, taskProof(g).tampered().body(OptionalLong.of(g.epoch))));
        case REPLAYED_PROOF -> check(f, client.post(proofPath, lastTaskProof.body(OptionalLong.empty())));
      }
    }
    if (g.workUnits > RENEW_ABOVE_WORK_UNITS) {
      V1Client.Answer renewed = client.post(renewPath(g), renewBody(g.epoch));
      if (!honest(renewed, "renew " + g.taskId)) {
        return true;
      }
    }
    TaskProofParts proof = taskProof(g);
    V1Client.Answer done = client.post(proofPath, proof.body(OptionalLong.of(g.epoch)));
    if (honest(done, "task proof " + g.taskId)) {
      JsonObject d = done.data().orElseThrow();
      if (!bool(d, "repeat")) {
        stats.completed(run, g.taskId);
      }
      lastTaskProof = proof;
    }
    return true;
  }

  /** An epoch that is not the current one: the previous grant's, or one far ahead for a first grant. */
  private static long staleEpoch(long epoch) {
    return epoch > 1 ? epoch - 1 : epoch + 1000;
  }

  private static String renewPath(Grant g) {
    return "/v1/runs/" + g.run + "/tasks/" + g.taskId + "/renew";
  }

  private byte[] renewBody(long epoch) {
    JsonWriter w = new JsonWriter(96);
    w.raw('{').key("node_id").string(key.nodeId().value());
    w.raw(',').key("lease_epoch").unsigned(epoch).raw('}');
    return w.toByteArray();
  }

  private TaskProofParts taskProof(Grant g) {
    long ts = settings.time().now().getEpochSecond();
    long elapsed = 1 + g.workUnits * 3;
    TaskProofPayload p = new TaskProofPayload(key.nodeId(), RunId.of(g.run), TaskId.of(g.taskId),
        g.taskHash, g.workUnits, elapsed, CLIENT_VERSION, ts);
    ProofSignature s = key.sign(p);
    return new TaskProofParts(p, s.proofHash(), s.signature(), s.publicKeyHex());
  }

  /** A signed task proof, rendered as a request body with or without a lease epoch. */
  private record TaskProofParts(TaskProofPayload p, String proofHash, String signature, String publicKeyHex) {
    byte[] body(OptionalLong epoch) {
      JsonWriter w = new JsonWriter(400);
      w.raw('{').key("node_id").string(p.nodeId().value());
      w.raw(',').key("work_units").unsigned(p.workUnits());
      w.raw(',').key("elapsed_ms").unsigned(p.elapsedMs());
      w.raw(',').key("client_version").string(p.clientVersion());
      w.raw(',').key("ts").unsigned(p.ts());
      if (epoch.isPresent()) {
        w.raw(',').key("lease_epoch").unsigned(epoch.getAsLong());
      }
      w.raw(',').key("proof_hash").string(proofHash);
      w.raw(',').key("signature").string(signature);
      w.raw(',').key("public_key_hex").string(publicKeyHex).raw('}');
      return w.toByteArray();
    }

    TaskProofParts tampered() {
      return new TaskProofParts(p, proofHash, tamper(signature), publicKeyHex);
    }
  }

  // --- plain jobs -------------------------------------------------------------------------------

  private boolean tryJob() throws IOException, InterruptedException {
    V1Client.Answer a = client.post("/v1/jobs/next", nodeBody());
    if (!honest(a, "job next")) {
      return false;
    }
    Optional<JsonObject> job = object(a.data().get(), "job");
    if (job.isEmpty()) {
      return false;
    }
    JsonObject j = job.get();
    long id = num(j, "id");
    long workUnits = num(j, "work_units");
    long epoch = num(j, "lease_epoch");
    String path = "/v1/jobs/" + Long.toUnsignedString(id) + "/proof";
    Optional<Fault> fault = pickFault(false);
    if (fault.isPresent()) {
      Fault f = fault.get();
      stats.injected(f);
      switch (f) {
        case ABANDON -> {
          stats.faultsExpected.increment();
          return true;
        }
        case STALE_EPOCH -> check(f, client.post(path, jobBody(jobProof(id, workUnits), OptionalLong.of(staleEpoch(epoch)), true)));
        case TAMPERED_SIGNATURE -> {
          JobProofSubmission s = jobProof(id, workUnits);
          JobProofSubmission bad = JobProofSubmission.digest(s.digestPayload().orElseThrow(),
              s.proofHash().orElseThrow(), tamper(s.signature()), s.publicKeyHex().orElseThrow());
          check(f, client.post(path, jobBody(bad, OptionalLong.of(epoch), true)));
        }
        case REPLAYED_PROOF -> check(f, client.post(path, jobBody(lastJobProof, OptionalLong.empty(), false)));
        case RUN_PAST_LEASE -> throw new IllegalStateException("jobs have no renew endpoint");
      }
    }
    JobProofSubmission proof = jobProof(id, workUnits);
    V1Client.Answer done = client.post(path, jobBody(proof, OptionalLong.of(epoch), true));
    if (honest(done, "job proof " + Long.toUnsignedString(id))) {
      if (!bool(done.data().orElseThrow(), "signature_verified")) {
        stats.unexpected(key.nodeId() + ": job proof " + id + " accepted without a verified signature");
      }
      stats.jobsAccepted.increment();
      log.ifPresent(l -> l.append(proof.toJsonBytes()));
      lastJobProof = proof;
    }
    return true;
  }

  private JobProofSubmission jobProof(long jobId, long workUnits) {
    JobProofPayload p = new JobProofPayload(key.nodeId(), Optional.empty(), jobId, workUnits,
        JobProofPayload.DEFAULT_WORKLOAD_MODE, 1 + workUnits * 3, CLIENT_VERSION,
        settings.time().now().getEpochSecond());
    return key.sign(p);
  }

  /** The request body of a job proof, optionally with a lease epoch and without {@code job_id}. */
  private static byte[] jobBody(JobProofSubmission s, OptionalLong epoch, boolean withJobId) {
    JobProofPayload p = s.digestPayload().orElseThrow();
    JsonWriter w = new JsonWriter(400);
    w.raw('{').key("node_id").string(p.nodeId().value());
    if (withJobId) {
      w.raw(',').key("job_id").unsigned(p.jobId());
    }
    w.raw(',').key("work_units").unsigned(p.workUnits());
    w.raw(',').key("workload_mode").string(p.workloadMode());
    w.raw(',').key("elapsed_ms").unsigned(p.elapsedMs());
    w.raw(',').key("client_version").string(p.clientVersion());
    w.raw(',').key("ts").unsigned(p.ts());
    if (epoch.isPresent()) {
      w.raw(',').key("lease_epoch").unsigned(epoch.getAsLong());
    }
    w.raw(',').key("proof_hash").string(s.proofHash().orElseThrow());
    w.raw(',').key("signature").string(s.signature());
    w.raw(',').key("public_key_hex").string(s.publicKeyHex().orElseThrow()).raw('}');
    return w.toByteArray();
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
    if (f.refusedAsExpected(a.status(), a.code())) {
      stats.faultsExpected.increment();
    } else {
      stats.faultsUnexpected.increment();
      stats.unexpected(key.nodeId() + ": fault " + f + " expected " + f.expectedStatus() + " "
          + f.expectedCodes() + " but got " + a);
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

  private byte[] nodeBody() {
    JsonWriter w = new JsonWriter(64);
    w.raw('{').key("node_id").string(key.nodeId().value()).raw('}');
    return w.toByteArray();
  }

  /** Changes one hex digit inside the signature's R half, so it stays well-formed but cannot verify. */
  static String tamper(String hex) {
    int i = 10;
    char flipped = hex.charAt(i) == '0' ? '1' : '0';
    return hex.substring(0, i) + flipped + hex.substring(i + 1);
  }

  private record Grant(String run, String taskId, Sha256Digest taskHash, long workUnits,
      Instant leaseExpires, long epoch) {}

  static Optional<JsonObject> object(JsonObject o, String field) {
    return o.get(field).filter(JsonObject.class::isInstance).map(JsonObject.class::cast);
  }

  static String str(JsonObject o, String field) {
    JsonValue v = o.get(field).orElseThrow(() -> new IllegalStateException("answer lacks " + field));
    return ((JsonString) v).value();
  }

  static long num(JsonObject o, String field) {
    JsonValue v = o.get(field).orElseThrow(() -> new IllegalStateException("answer lacks " + field));
    return ((JsonNumber) v).unsignedLongValue(field);
  }

  static boolean bool(JsonObject o, String field) {
    return o.get(field).map(v -> v == io.kascompute.core.json.JsonBoolean.TRUE).orElse(false);
  }

  NodeId nodeId() {
    return key.nodeId();
  }
}
