package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.store.CoordinatorStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorEndToEndTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  static final String DIAMOND = "{\"spec\":{\"name\":\"diamond\",\"nodes\":["
      + "{\"task_id\":\"a\",\"work_units\":10},{\"task_id\":\"b\",\"work_units\":20},"
      + "{\"task_id\":\"c\",\"work_units\":30,\"task_type\":\"gpu\"},{\"task_id\":\"d\",\"work_units\":40}],"
      + "\"edges\":[{\"from\":\"a\",\"to\":\"b\"},{\"from\":\"a\",\"to\":\"c\"},"
      + "{\"from\":\"b\",\"to\":\"d\"},{\"from\":\"c\",\"to\":\"d\"}]}}";

  MutableClock clock;
  Coordinator coordinator;
  Http http;
  SimNode n1 = new SimNode(1);
  SimNode n2 = new SimNode(2);

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    coordinator = Coordinator.builder().clock(clock).build();
    http = new Http(coordinator);
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now(), "node", "miner")).ok();
    http.post("/v1/nodes/heartbeat", n2.heartbeat(now())).ok();
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  String startDiamond() {
    Http.Reply dag = http.post("/v1/dags/submit", DIAMOND).ok();
    assertThat(dag.num("tasks_total")).isEqualTo(4);
    assertThat(dag.str("dag_id")).isEqualTo(dag.str("dag_root_hash")).hasSize(64);
    Http.Reply run = http.post("/v1/dags/" + dag.str("dag_id") + "/runs", "").ok();
    assertThat(run.str("run_id")).isEqualTo("run-" + dag.str("dag_id") + "-1");
    return run.str("run_id");
  }

  JsonObject next(String run, SimNode n) {
    return http.post("/v1/runs/" + run + "/next", n.nodeBody()).ok().obj("task");
  }

  Http.Reply prove(String run, SimNode n, JsonObject lease, boolean epoch) {
    return http.post("/v1/runs/" + run + "/tasks/" + SimNode.str(lease, "task_id") + "/proof",
        n.taskProof(lease, 150, now(), epoch));
  }

  @Test
  void diamondRunsToCompletionWithDeterministicUnlocks() {
    String run = startDiamond();
    JsonObject a = next(run, n1);
    assertThat(SimNode.str(a, "task_id")).isEqualTo("a");
    assertThat(Http.Reply.num(a, "lease_epoch")).isEqualTo(1);
    assertThat(Http.Reply.num(a, "lease_expires_unix")).isEqualTo(now() + 90);
    assertThat(SimNode.str(a, "task_type")).isEqualTo("sim");
    assertThat(next(run, n2)).isNull(); // b and c wait for a

    Http.Reply pa = prove(run, n1, a, true).ok();
    assertThat(pa.str("status")).isEqualTo("accepted");
    assertThat(pa.num("unlocked_ready")).isEqualTo(2);
    assertThat(pa.arr("unlocked_task_ids").elements()).containsExactly(new JsonString("b"), new JsonString("c"));
    assertThat(pa.bool("signature_verified")).isTrue();
    assertThat(pa.bool("repeat")).isFalse();

    JsonObject b = next(run, n1);
    JsonObject c = next(run, n2);
    assertThat(SimNode.str(b, "task_id")).isEqualTo("b");
    assertThat(SimNode.str(c, "task_id")).isEqualTo("c");
    assertThat(SimNode.str(c, "task_type")).isEqualTo("gpu");
    Http.Reply mid = http.get("/v1/runs/" + run).ok();
    assertThat(List.of(mid.num("tasks_pending"), mid.num("tasks_ready"), mid.num("tasks_running"),
        mid.num("tasks_completed"), mid.num("tasks_failed"))).containsExactly(1L, 0L, 2L, 1L, 0L);
    assertThat(mid.str("state")).isEqualTo("running");
    assertThat(mid.str("name")).isEqualTo("diamond");
    assertThat(mid.num("created_unix")).isEqualTo(T0.getEpochSecond());

    assertThat(prove(run, n1, b, false).ok().num("unlocked_ready")).isZero();
    assertThat(prove(run, n2, c, true).ok().num("unlocked_ready")).isEqualTo(1);
    JsonObject d = next(run, n2);
    prove(run, n2, d, true).ok();
    Http.Reply done = http.get("/v1/runs/" + run).ok();
    assertThat(done.num("tasks_completed")).isEqualTo(4);
    assertThat(done.str("state")).isEqualTo("completed");
    http.post("/v1/runs/" + run + "/next", n1.nodeBody()).expect(409, "run_finished");

    Http.Reply m = http.get("/v1/metrics").ok();
    assertThat(m.num("proofs_window")).isZero(); // V1 counts job proofs there
    assertThat(m.num("tasks_completed_window")).isEqualTo(4);
    assertThat(m.num("work_units_window")).isEqualTo(100);
    assertThat(m.num("active_nodes_90s")).isEqualTo(2);
    assertThat(m.num("active_miners_90s")).isEqualTo(1);
    assertThat(m.num("jobs_completed_window")).isZero();
    assertThat(((JsonObject) m.data().members().get("rejections_window")).members())
        .containsOnlyKeys("run_finished");
  }

  @Test
  void leaseExpiryRenewalAndStaleCompletions() {
    String run = startDiamond();
    JsonObject a1 = next(run, n1);
    // renew before expiry extends to now + 90
    clock.advance(Duration.ofSeconds(60));
    Http.Reply renewed = http.post("/v1/runs/" + run + "/tasks/a/renew",
        "{\"node_id\":\"" + n1.id + "\",\"lease_epoch\":1}").ok();
    assertThat(renewed.num("lease_expires_unix")).isEqualTo(now() + 90);
    assertThat(renewed.num("lease_epoch")).isEqualTo(1);
    http.post("/v1/runs/" + run + "/tasks/a/renew", n2.nodeBody()).expect(409, "not_owner");
    // at exactly the expiry the lease is gone
    clock.advance(Duration.ofSeconds(90));
    http.post("/v1/runs/" + run + "/tasks/a/renew", n1.nodeBody()).expect(409, "lease_expired");
    JsonObject a2 = next(run, n2);
    assertThat(SimNode.str(a2, "task_id")).isEqualTo("a");
    assertThat(Http.Reply.num(a2, "lease_epoch")).isEqualTo(2);
    // the first holder's late proof is stale, with or without its epoch
    prove(run, n1, a1, true).expect(409, "stale_lease");
    prove(run, n1, a1, false).expect(409, "not_owner");
    http.post("/v1/runs/" + run + "/tasks/a/renew",
        "{\"node_id\":\"" + n2.id + "\",\"lease_epoch\":1}").expect(409, "stale_lease");
    prove(run, n2, a2, true).ok();
    assertThat(http.get("/v1/runs/" + run).ok().num("tasks_completed")).isEqualTo(1);
  }

  @Test
  void lateProofIsAcceptedWhileNobodyElseWasGrantedTheTask() {
    String run = startDiamond();
    JsonObject a = next(run, n1);
    clock.advance(Duration.ofSeconds(500));
    assertThat(prove(run, n1, a, true).ok().num("unlocked_ready")).isEqualTo(2);
  }

  @Test
  void replaysAreIdempotentOrRefused() {
    String run = startDiamond();
    JsonObject a = next(run, n1);
    String body = n1.taskProof(a, 150, now(), true);
    Http.Reply first = http.post("/v1/runs/" + run + "/tasks/a/proof", body).ok();
    Http.Reply again = http.post("/v1/runs/" + run + "/tasks/a/proof", body).ok();
    assertThat(again.bool("repeat")).isTrue();
    // the first answer is repeated, and nothing is unlocked a second time
    assertThat(again.num("unlocked_ready")).isEqualTo(first.num("unlocked_ready")).isEqualTo(2);
    assertThat(again.str("proof_hash")).isEqualTo(first.str("proof_hash"));
    assertThat(http.get("/v1/runs/" + run).ok().num("tasks_ready")).isEqualTo(2);
    // another proof for the completed task
    http.post("/v1/runs/" + run + "/tasks/a/proof", n1.taskProof(a, 151, now(), true))
        .expect(409, "already_completed");
    // a proof for b replayed onto c: the payload is bound to the task, so the signature fails
    JsonObject b = next(run, n1);
    String proofB = n1.taskProof(b, 10, now(), false);
    String onC = proofB.replace(",\"work_units\":20", ",\"work_units\":30").replaceAll(",\"proof_hash_hex\":\"[0-9a-f]+\"", "");
    http.post("/v1/runs/" + run + "/tasks/c/proof", onC).expect(422, "bad_signature");
    // with its proof hash kept, the hash no longer matches the rebuilt payload
    http.post("/v1/runs/" + run + "/tasks/c/proof", proofB.replace(",\"work_units\":20", ",\"work_units\":30"))
        .expect(422, "hash_mismatch");
    Http.Reply m = http.get("/v1/metrics").ok();
    assertThat(m.num("tasks_completed_window")).isEqualTo(1); // the repeat is not counted twice
  }

  @Test
  void signaturesAndKeysAreCheckedBeforeAnyStateChanges() {
    String run = startDiamond();
    JsonObject a = next(run, n1);
    String good = n1.taskProof(a, 150, now(), true);
    String sig = good.replaceAll(".*\"signature_hex\":\"([0-9a-f]+)\".*", "$1");
    String flipped = sig.substring(0, 10) + (sig.charAt(10) == '0' ? '1' : '0') + sig.substring(11);
    http.post("/v1/runs/" + run + "/tasks/a/proof", good.replace(sig, flipped)).expect(422, "bad_signature");
    String unsigned = good.replaceAll(",\"signature_hex\":\"[0-9a-f]+\"", "");
    http.post("/v1/runs/" + run + "/tasks/a/proof", unsigned).expect(422, "missing_signature");
    // n2 signs a proof claiming to be n1: n1's registered key differs
    http.post("/v1/runs/" + run + "/tasks/a/proof", n2.taskProofAs(n1.id, a, 10, 150, now(), true))
        .expect(422, "key_mismatch");
    http.post("/v1/runs/" + run + "/tasks/a/proof", n1.taskProofAs(n1.id, a, 11, 150, now(), true))
        .expect(422, "work_units_mismatch");
    // a heartbeat with another key, or a bad signature, is refused
    String otherKey = new SimNode(3).heartbeat(now()).replace(new SimNode(3).id, n1.id);
    http.post("/v1/nodes/heartbeat", otherKey).expect(422, "key_mismatch");
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now()).replaceAll("\"signature_hex\":\"[0-9a-f]{2}", "\"signature_hex\":\"00"))
        .expect(422, "bad_signature");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"" + n1.id + "\",\"public_key_hex\":\"" + new SimNode(3).pub() + "\"}")
        .expect(422, "key_mismatch");
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now() - 301)).expect(422, "timestamp_out_of_window");
    // a launcher-style id must be derived from the key it is sent with
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"kc_0123456789abcdef\",\"public_key_hex\":\"" + n1.pub() + "\"}")
        .expect(422, "key_mismatch");
    // nothing moved
    Http.Reply s = http.get("/v1/runs/" + run).ok();
    assertThat(s.num("tasks_running")).isEqualTo(1);
    assertThat(s.num("tasks_completed")).isZero();
    http.post("/v1/runs/" + run + "/tasks/a/proof", good).ok();
    Http.Reply m = http.get("/v1/metrics").ok();
    JsonObject rej = (JsonObject) m.data().members().get("rejections_window");
    assertThat(Http.Reply.num(rej, "bad_signature")).isEqualTo(2);
    assertThat(Http.Reply.num(rej, "key_mismatch")).isEqualTo(4);
  }

  @Test
  void v1CompatAcceptsUnsignedTaskProofsUnverified() {
    coordinator = Coordinator.builder().clock(clock).verificationPolicy(VerificationPolicy.V1_COMPAT).build();
    http = new Http(coordinator);
    http.post("/v1/nodes/heartbeat", n1.unsignedHeartbeat()).ok();
    String run = startDiamond();
    JsonObject a = next(run, n1);
    String v1 = "{\"node_id\":\"" + n1.id + "\",\"work_units\":10,\"elapsed_ms\":5}";
    Http.Reply r = http.post("/v1/runs/" + run + "/tasks/a/proof", v1).ok();
    assertThat(r.bool("signature_verified")).isFalse();
    assertThat(r.num("unlocked_ready")).isEqualTo(2);
    // a signature that is present but wrong is still refused
    JsonObject b = next(run, n1);
    String bad = n1.taskProof(b, 5, now(), false).replaceAll("\"signature_hex\":\"[0-9a-f]{4}", "\"signature_hex\":\"0000");
    http.post("/v1/runs/" + run + "/tasks/b/proof", bad).expect(422, "bad_signature");
  }

  @Test
  void malformedOversizeAndMisroutedRequests() {
    coordinator = Coordinator.builder().clock(clock).maxBodyBytes(256).build();
    http = new Http(coordinator);
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"" + "x".repeat(300) + "\"}").expect(400, "body_too_large");
    http.post("/v1/jobs/next", "{\"node_id\":").expect(400, "malformed_json");
    http.post("/v1/jobs/next", "").expect(400, "malformed_json");
    http.post("/v1/jobs/next", "[1]").expect(400, "wrong_type");
    http.post("/v1/jobs/next", "{\"node_id\":7}").expect(400, "wrong_type");
    http.post("/v1/jobs/next", "{}").expect(400, "missing_field");
    http.post("/v1/jobs/next", "{\"node_id\":\"a\",\"node_id\":\"b\"}").expect(400, "duplicate_key");
    http.post("/v1/jobs/next", "{\"node_id\":\"a\"} x").expect(400, "trailing_data");
    http.call("POST", "/v1/jobs/next", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}).expect(400, "invalid_utf8");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"n\",\"public_key_hex\":\"zz\"}").expect(422, "malformed_hex");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"" + n1.id + "\",\"public_key_hex\":\"" + n1.pub()
        + "\",\"latitude\":91,\"longitude\":0}").expect(400, "invalid_geo");
    http.post("/v1/nope", "{}").expect(404, "not_found");
    http.post("/v2/metrics", "{}").expect(404, "not_found");
    http.post("/v1/metrics", "{}").expect(405, "method_not_allowed");
    http.get("/v1/jobs/next").expect(405, "method_not_allowed");
    http.get("/v1/runs/run-x-1").expect(404, "unknown_run");
    http.post("/v1/nodes/heartbeat", n1.unsignedHeartbeat()).ok();
    assertThat(http.post("/v1/runs/run-x-1/next", n1.nodeBody()).ok().obj("task")).isNull(); // V1
    http.post("/v1/dags/" + "0".repeat(64) + "/runs", "").expect(404, "unknown_dag");
    http.post("/v1/runs/%zz/next", n1.nodeBody()).expect(404, "not_found");
    http.post("/v1/jobs/12x/proof", "{}").expect(404, "unknown_job");
    http.get("/v1/metrics?pretty=1").ok();
    http.get("/v1/metrics/").ok();
  }

  @Test
  void pathSegmentsArePercentDecoded() {
    String spec = "{\"spec\":{\"name\":\"sp\",\"nodes\":[{\"task_id\":\"x y/z\",\"work_units\":1}],\"edges\":[]}}";
    Http.Reply dag = http.post("/v1/dags/submit", spec).ok();
    String run = http.post("/v1/dags/" + dag.str("dag_id") + "/runs", "").ok().str("run_id");
    JsonObject t = next(run, n1);
    assertThat(SimNode.str(t, "task_id")).isEqualTo("x y/z");
    http.post("/v1/runs/" + run + "/tasks/x%20y%2Fz/renew", n1.nodeBody()).ok();
    http.post("/v1/runs/" + run + "/tasks/x%20y%2Fq/renew", n1.nodeBody()).expect(404, "unknown_task");
    http.post("/v1/runs/" + run + "/tasks/x%20y%2Fz/proof", n1.taskProof(t, 1, now(), true)).ok();
  }

  @Test
  void failedTasksFailTheirDependents() {
    coordinator = Coordinator.builder().clock(clock)
        .taskLeasePolicy(new LeasePolicy(Duration.ofSeconds(30), 2)).build();
    http = new Http(coordinator);
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now())).ok();
    http.post("/v1/nodes/heartbeat", n2.heartbeat(now())).ok();
    String run = startDiamond();
    next(run, n1);
    Http.Reply f1 = http.post("/v1/runs/" + run + "/tasks/a/fail", "{\"node_id\":\"" + n1.id + "\",\"lease_epoch\":1}").ok();
    assertThat(f1.bool("attempts_exhausted")).isFalse();
    assertThat(f1.num("attempts")).isEqualTo(1);
    next(run, n2);
    http.post("/v1/runs/" + run + "/tasks/a/fail", n1.nodeBody()).expect(409, "not_owner");
    clock.advance(Duration.ofSeconds(30)); // second attempt expires: attempts used up
    Http.Reply after = http.post("/v1/runs/" + run + "/next", n1.nodeBody());
    assertThat(after.status() == 200 ? after.obj("task") == null : after.code().equals("run_finished")).isTrue();
    http.post("/v1/runs/" + run + "/next", n1.nodeBody()).expect(409, "run_finished");
    Http.Reply s = http.get("/v1/runs/" + run).ok();
    assertThat(s.str("state")).isEqualTo("failed");
    assertThat(s.num("tasks_failed")).isEqualTo(1);
    assertThat(s.num("tasks_pending")).isEqualTo(3);
  }

  @Test
  void unexpectedFailuresBecomeInternalEnvelopes() {
    CoordinatorStores memory = CoordinatorStores.inMemory();
    coordinator = Coordinator.builder().clock(clock).stores(CoordinatorStores.of(new BrokenStore(),
        memory.directory(), memory.jobs(), memory.ledger(), () -> { })).build();
    http = new Http(coordinator);
    http.get("/v1/runs/run-x-1").expect(500, "internal");
    assertThat(new String(coordinator.handle("GET", "/v1/runs/run-x-1", new byte[0]).body(), StandardCharsets.UTF_8))
        .contains("nothing was applied");
  }

  @Test
  void thousandTaskRandomDagBySeveralNodesWithFaults() {
    coordinator = Coordinator.builder().clock(clock)
        .taskLeasePolicy(new LeasePolicy(Duration.ofSeconds(90), 20)).build();
    http = new Http(coordinator);
    RandomDags.Spec spec = RandomDags.random(1000, 2500, 42);
    Http.Reply dag = http.post("/v1/dags/submit", spec.submitBody()).ok();
    assertThat(dag.num("tasks_total")).isEqualTo(1000);
    String run = http.post("/v1/dags/" + dag.str("dag_id") + "/runs", "").ok().str("run_id");
    List<SimNode> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SimNode n = new SimNode(10 + i);
      http.post("/v1/nodes/heartbeat", n.heartbeat(now(), "miner")).ok();
      nodes.add(n);
    }
    java.util.Random rnd = new java.util.Random(7);
    List<String> completedOrder = new ArrayList<>();
    int abandoned = 0;
    int stale = 0;
    for (int step = 0; step < 20_000 && completedOrder.size() < 1000; step++) {
      SimNode n = nodes.get(rnd.nextInt(nodes.size()));
      JsonObject lease = next(run, n);
      if (lease == null) {
        clock.advance(Duration.ofSeconds(30));
        continue;
      }
      int fate = rnd.nextInt(20);
      if (fate == 0) {
        abandoned++; // the node crashes; the lease expires and the task is granted again
        continue;
      }
      if (fate == 1) {
        http.post("/v1/runs/" + run + "/tasks/" + SimNode.str(lease, "task_id") + "/renew",
            "{\"node_id\":\"" + n.id + "\",\"lease_epoch\":" + Http.Reply.num(lease, "lease_epoch") + "}").ok();
      }
      if (fate == 2) {
        // the node stalls past its lease; another node drains the queue and gets the task again
        clock.advance(Duration.ofSeconds(91));
        SimNode other = nodes.get((nodes.indexOf(n) + 1) % nodes.size());
        String ours = SimNode.str(lease, "task_id");
        List<JsonObject> taken = new ArrayList<>();
        JsonObject g;
        while ((g = next(run, other)) != null) {
          if (SimNode.str(g, "task_id").equals(ours)) {
            prove(run, n, lease, true).expect(409, "stale_lease");
            prove(run, n, lease, false).expect(409, "not_owner");
            stale++;
            prove(run, other, g, true).ok();
            completedOrder.add(ours);
            break;
          }
          taken.add(g);
        }
        assertThat(g).as("the expired task is granted again").isNotNull();
        for (JsonObject t : taken) {
          prove(run, other, t, true).ok();
          completedOrder.add(SimNode.str(t, "task_id"));
        }
        continue;
      }
      prove(run, n, lease, rnd.nextBoolean()).ok();
      completedOrder.add(SimNode.str(lease, "task_id"));
      if (step % 50 == 0) {
        Http.Reply s = http.get("/v1/runs/" + run).ok();
        assertThat(s.num("tasks_pending") + s.num("tasks_ready") + s.num("tasks_running")
            + s.num("tasks_completed") + s.num("tasks_failed")).isEqualTo(1000);
      }
    }
    Http.Reply s = http.get("/v1/runs/" + run).ok();
    assertThat(s.str("state")).isEqualTo("completed");
    assertThat(s.num("tasks_completed")).isEqualTo(1000);
    assertThat(completedOrder).doesNotHaveDuplicates().hasSize(1000);
    spec.assertTopological(completedOrder);
    assertThat(abandoned).isPositive();
    assertThat(stale).isPositive();
  }
}
