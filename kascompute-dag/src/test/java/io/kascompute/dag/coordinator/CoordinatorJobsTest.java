package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobReceiptPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorJobsTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  MutableClock clock = new MutableClock(T0);
  NodeKeyPair coordinatorKey;
  Coordinator coordinator;
  Http http;
  SimNode n1 = new SimNode(1);
  SimNode n2 = new SimNode(2);

  @BeforeEach
  void setUp() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 99);
    coordinatorKey = NodeKeyPair.fromSeed(seed);
    coordinator = build(VerificationPolicy.STRICT);
  }

  Coordinator build(VerificationPolicy policy) {
    Coordinator c = Coordinator.builder().clock(clock).signingKey(coordinatorKey)
        .verificationPolicy(policy).build();
    for (long i = 1; i <= 5; i++) {
      c.addJob(40 + i);
    }
    http = new Http(c);
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now(), "miner")).ok();
    http.post("/v1/nodes/heartbeat", n2.heartbeat(now(), "miner")).ok();
    return c;
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  @Test
  void jobIsLeasedProvedAndReceiptedWithACoordinatorSignature() {
    Http.Reply next = http.post("/v1/jobs/next", n1.nodeBody()).ok();
    assertThat(Http.Reply.num(next.obj("job"), "id")).isEqualTo(1);
    assertThat(Http.Reply.num(next.obj("job"), "work_units")).isEqualTo(41);
    assertThat(Http.Reply.num(next.obj("job"), "lease_expires_unix")).isEqualTo(now() + 60);
    assertThat(Http.Reply.num(next.obj("job"), "lease_epoch")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    JobProofSubmission proof = n1.jobProof(1, 41, 150, now());
    Http.Reply r = http.post("/v1/jobs/1/proof", SimNode.json(proof)).ok();
    assertThat(r.str("status")).isEqualTo("accepted");
    // V1's receipt text, computed from the acceptance time
    assertThat(r.str("receipt")).isEqualTo(
        JobReceiptPayload.v1Receipt(NodeId.of(n1.id), 1, now(), 41));
    assertThat(r.bool("signature_verified")).isTrue();
    assertThat(r.str("scheme")).isEqualTo("digest");
    assertThat(r.num("accepted_unix")).isEqualTo(now());
    assertThat(r.str("coordinator_public_key_hex")).isEqualTo(coordinatorKey.publicKey().hex());
    // a node or an auditor rebuilds the receipt payload and checks the coordinator's signature
    JobReceiptPayload receipt = new JobReceiptPayload(r.str("receipt"), NodeId.of(n1.id), 1, 41,
        Optional.of(SignatureScheme.DIGEST), proof.signature(), true, now(),
        OptionalLong.of(r.num("ledger_index")));
    Signatures.verifyRaw(coordinatorKey.publicKey().toByteArray(),
        receipt.digest().toByteArray(), HexCodec.decode("sig", r.str("coordinator_signature"), 64));

    // the same proof again is answered again (same receipt), counted once
    clock.advance(Duration.ofSeconds(3));
    Http.Reply again = http.post("/v1/jobs/proof", SimNode.json(proof)).ok();
    assertThat(again.bool("repeat")).isTrue();
    assertThat(again.str("receipt")).isEqualTo(r.str("receipt"));
    Http.Reply m = http.get("/v1/metrics").ok();
    assertThat(m.num("jobs_completed_window")).isEqualTo(1);
    assertThat(m.num("proofs_window")).isEqualTo(1);
    // V1's avg_job_ms: (completed - assigned) in whole seconds, times 1000
    assertThat(m.num("avg_job_ms")).isEqualTo(5000);
    assertThat(http.get("/v1/jobs/summary").ok().num("completed")).isEqualTo(1);
  }

  @Test
  void jobRefusalsChangeNothing() {
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    String good = SimNode.json(n1.jobProof(1, 41, 150, now()));
    http.post("/v1/jobs/9/proof", SimNode.json(n1.jobProof(9, 41, 150, now()))).expect(404, "unknown_job");
    http.post("/v1/jobs/2/proof", good).expect(400, "field_out_of_range");
    String flipped = good.replaceAll("\"signature\":\"[0-9a-f]{2}", "\"signature\":\"00");
    http.post("/v1/jobs/1/proof", flipped).expect(422, "bad_signature");
    http.post("/v1/jobs/1/proof", good.replaceAll(",\"signature\":\"[0-9a-f]+\"", "")).expect(422, "missing_signature");
    http.post("/v1/jobs/1/proof", SimNode.json(n2.jobProof(1, 41, 150, now())).replace(n2.id, n1.id))
        .expect(422, "key_mismatch");
    // more work units than the lease: refused, nothing credited
    http.post("/v1/jobs/1/proof", SimNode.json(n1.jobProof(1, -1L, 150, now())))
        .expect(422, "work_units_mismatch");
    http.post("/v1/jobs/1/proof", SimNode.json(n2.jobProof(1, 41, 150, now()))).expect(409, "not_owner");
    // a node that never sent a heartbeat gets no job and cannot prove one
    SimNode stranger = new SimNode(7);
    assertThat(http.post("/v1/jobs/next", stranger.nodeBody()).ok().obj("job")).isNull();
    http.post("/v1/jobs/1/proof", SimNode.json(stranger.jobProof(1, 41, 150, now())))
        .expect(404, "unknown_node");
    assertThat(http.get("/v1/jobs/summary").ok().num("completed")).isZero();
    assertThat(http.get("/v1/metrics").ok().num("jobs_completed_window")).isZero();
    // the lease expires and another node gets the job: the first holder is stale
    clock.advance(Duration.ofSeconds(60));
    Http.Reply again = http.post("/v1/jobs/next", n2.nodeBody()).ok();
    assertThat(Http.Reply.num(again.obj("job"), "lease_epoch")).isEqualTo(2);
    http.post("/v1/jobs/1/proof", good.replace("}", ",\"lease_epoch\":1}")).expect(409, "stale_lease");
    http.post("/v1/jobs/1/proof", SimNode.json(n2.jobProof(1, 41, 150, now()))).ok();
    assertThat(http.get("/v1/metrics").ok().num("jobs_completed_window")).isEqualTo(1);
  }

  @Test
  void theLauncherSchemeAndFewerWorkUnitsThanTheLeaseAreAccepted() {
    Http.Reply next = http.post("/v1/jobs/next", n1.nodeBody()).ok();
    long id = Http.Reply.num(next.obj("job"), "id");
    Http.Reply r = http.post("/v1/jobs/" + id + "/proof", n1.launcherJobProof(id, 30, now())).ok();
    assertThat(r.str("scheme")).isEqualTo("launcher");
    assertThat(r.bool("signature_verified")).isTrue();
    // the launcher's unsigned fields do not change the proof's identity: a resend is a repeat
    String resent = n1.launcherJobProof(id, 30, now()).replace("\"elapsed_ms\":1234", "\"elapsed_ms\":9");
    assertThat(http.post("/v1/jobs/" + id + "/proof", resent).ok().bool("repeat")).isTrue();
  }

  @Test
  void v1CompatAcceptsBadOrMissingJobSignaturesUnverifiedButNotFromTheLauncher() {
    coordinator = build(VerificationPolicy.V1_COMPAT);
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    String p1 = SimNode.json(n1.jobProof(1, 41, 150, now()));
    Http.Reply r1 = http.post("/v1/jobs/1/proof", p1.replaceAll("\"signature\":\"[0-9a-f]{2}", "\"signature\":\"00")).ok();
    assertThat(r1.bool("signature_verified")).isFalse();
    assertThat(r1.data().members()).doesNotContainKey("scheme");
    String p2 = SimNode.json(n1.jobProof(2, 42, 150, now())).replaceAll(",\"signature\":\"[0-9a-f]+\"", "");
    assertThat(http.post("/v1/jobs/2/proof", p2).ok().bool("signature_verified")).isFalse();
    // a protocol-v1 (launcher) proof with a bad signature is refused, and the job stays open
    String launcher = n1.launcherJobProof(3, 43, now())
        .replaceAll("\"signature_hex\":\"[0-9a-f]{2}", "\"signature_hex\":\"00");
    http.post("/v1/jobs/3/proof", launcher).expect(422, "bad_signature");
    assertThat(http.post("/v1/jobs/3/proof", n1.launcherJobProof(3, 43, now())).ok()
        .bool("signature_verified")).isTrue();
    // a wrong proof_hash is still refused
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    String p4 = SimNode.json(n1.jobProof(4, 44, 150, now())).replaceAll("\"proof_hash\":\"[0-9a-f]{2}", "\"proof_hash\":\"00");
    http.post("/v1/jobs/4/proof", p4).expect(422, "hash_mismatch");
  }

  @Test
  void typedEntryPointsAndTheSharedPool() {
    var lease = coordinator.nextJob(NodeId.of(n1.id)).orElseThrow();
    assertThat(lease.jobId()).isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      coordinator.nextJob(NodeId.of(n2.id));
    }
    assertThat(coordinator.nextJob(NodeId.of(n2.id))).isEmpty();
    assertThat(coordinator.stores().jobs().topUp(10, () -> 500_000, clock.instant())).isEqualTo(10);
    assertThat(coordinator.stores().jobs().topUp(10, () -> 500_000, clock.instant())).isZero();
    assertThat(new String(coordinator.handle("GET", "/v1/jobs?limit=2&after=5", new byte[0]).body(),
        StandardCharsets.UTF_8)).contains("\"id\":6,").contains("\"id\":7,").doesNotContain("\"id\":8,");
  }
}
