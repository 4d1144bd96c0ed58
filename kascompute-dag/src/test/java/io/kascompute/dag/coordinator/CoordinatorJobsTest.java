package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.payload.JobReceiptPayload;
import io.kascompute.core.wire.NodeRequest;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import io.kascompute.dag.jobs.BoundedJobQueue;
import io.kascompute.dag.jobs.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorJobsTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  MutableClock clock = new MutableClock(T0);
  BoundedJobQueue queue = new BoundedJobQueue(100);
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
    for (long id = 1; id <= 5; id++) {
      queue.offer(new Job(id, 40 + id));
    }
  }

  Coordinator build(VerificationPolicy policy) {
    Coordinator c = Coordinator.builder().clock(clock).jobSource(queue).signingKey(coordinatorKey)
        .verificationPolicy(policy).build();
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
    assertThat(r.str("receipt")).isEqualTo(proof.proofHash().orElseThrow());
    assertThat(r.bool("signature_verified")).isTrue();
    assertThat(r.num("accepted_unix")).isEqualTo(now());
    assertThat(r.str("coordinator_public_key_hex")).isEqualTo(coordinatorKey.publicKey().hex());
    // an auditor rebuilds the receipt bytes and checks the coordinator's signature
    JobReceiptPayload receipt = new JobReceiptPayload(NodeId.of(n1.id), 1, 41,
        Sha256Digest.fromHex(proof.proofHash().orElseThrow()), true, now());
    Signatures.verifyRaw(coordinatorKey.publicKey().toByteArray(),
        receipt.digest().toByteArray(), HexCodec.decode("sig", r.str("coordinator_signature"), 64));

    // the same proof again is answered again, counted once
    http.post("/v1/jobs/proof", SimNode.json(proof)).ok();
    Http.Reply m = http.get("/v1/metrics").ok();
    assertThat(m.num("jobs_completed_window")).isEqualTo(1);
    assertThat(m.data().members().get("avg_job_ms").toString()).isEqualTo("150.0");
  }

  @Test
  void jobRefusals() {
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    String good = SimNode.json(n1.jobProof(1, 41, 150, now()));
    http.post("/v1/jobs/9/proof", SimNode.json(n1.jobProof(9, 41, 150, now()))).expect(404, "unknown_job");
    http.post("/v1/jobs/2/proof", good).expect(400, "field_out_of_range");
    String flipped = good.replaceAll("\"signature\":\"[0-9a-f]{2}", "\"signature\":\"00");
    http.post("/v1/jobs/1/proof", flipped).expect(422, "bad_signature");
    http.post("/v1/jobs/1/proof", good.replaceAll(",\"signature\":\"[0-9a-f]+\"", "")).expect(422, "missing_signature");
    http.post("/v1/jobs/1/proof", SimNode.json(n2.jobProof(1, 41, 150, now())).replace(n2.id, n1.id))
        .expect(422, "key_mismatch");
    http.post("/v1/jobs/1/proof", SimNode.json(n2.jobProof(1, 41, 150, now()))).expect(409, "not_owner");
    // the lease expires and another node gets the job: the first holder is stale
    clock.advance(Duration.ofSeconds(60));
    Http.Reply again = http.post("/v1/jobs/next", n2.nodeBody()).ok();
    assertThat(Http.Reply.num(again.obj("job"), "lease_epoch")).isEqualTo(2);
    http.post("/v1/jobs/1/proof", good.replace("}", ",\"lease_epoch\":1}")).expect(409, "stale_lease");
    http.post("/v1/jobs/1/proof", SimNode.json(n2.jobProof(1, 41, 150, now()))).ok();
    assertThat(http.get("/v1/metrics").ok().num("jobs_completed_window")).isEqualTo(1);
  }

  @Test
  void v1CompatAcceptsBadOrMissingJobSignaturesUnverified() {
    coordinator = build(VerificationPolicy.V1_COMPAT);
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    String p1 = SimNode.json(n1.jobProof(1, 41, 150, now()));
    Http.Reply r1 = http.post("/v1/jobs/1/proof", p1.replaceAll("\"signature\":\"[0-9a-f]{2}", "\"signature\":\"00")).ok();
    assertThat(r1.bool("signature_verified")).isFalse();
    String p2 = SimNode.json(n1.jobProof(2, 42, 150, now())).replaceAll(",\"signature\":\"[0-9a-f]+\"", "");
    assertThat(http.post("/v1/jobs/2/proof", p2).ok().bool("signature_verified")).isFalse();
    // a wrong proof_hash is still refused
    http.post("/v1/jobs/next", n1.nodeBody()).ok();
    String p3 = SimNode.json(n1.jobProof(3, 43, 150, now())).replaceAll("\"proof_hash\":\"[0-9a-f]{2}", "\"proof_hash\":\"00");
    http.post("/v1/jobs/3/proof", p3).expect(422, "hash_mismatch");
  }

  @Test
  void typedEntryPoints() {
    var lease = coordinator.nextJob(new NodeRequest(NodeId.of(n1.id))).job().orElseThrow();
    assertThat(lease.id()).isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      coordinator.nextJob(new NodeRequest(NodeId.of(n2.id)));
    }
    assertThat(coordinator.nextJob(new NodeRequest(NodeId.of(n2.id))).job()).isEmpty();
  }
}
