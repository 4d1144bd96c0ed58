package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.store.CoordinatorStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Key pinning on proof of possession, claims, rotation, admission bounds and floods. */
class CoordinatorIdentityTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  MutableClock clock = new MutableClock(T0);
  SimNode n1 = new SimNode(1, "kc_node_01");
  SimNode attacker = new SimNode(66, "kc_node_01");

  long now() {
    return clock.instant().getEpochSecond();
  }

  Coordinator coordinator(VerificationPolicy policy, CoordinatorStores stores) {
    Coordinator c = Coordinator.builder().clock(clock).verificationPolicy(policy).stores(stores).build();
    for (int i = 0; i < 5; i++) {
      c.addJob(1_000);
    }
    return c;
  }

  static JsonObject node(Http http, String id) {
    Http.Reply r = http.get("/v1/nodes?limit=1000");
    JsonObject env = r.envelope();
    for (var v : ((io.kascompute.core.json.JsonArray) env.members().get("data")).elements()) {
      JsonObject o = (JsonObject) v;
      if (SimNode.str(o, "node_id").equals(id)) {
        return o;
      }
    }
    return null;
  }

  @Test
  void anUnsignedHeartbeatOnlyClaimsAKeyAndNeverRePinsUnderStrict() {
    Coordinator c = coordinator(VerificationPolicy.STRICT, CoordinatorStores.inMemory());
    Http http = new Http(c);
    // an unsigned heartbeat claims, the latest claim wins, nothing is pinned
    assertThat(http.post("/v1/nodes/heartbeat", attacker.unsignedHeartbeat()).ok().bool("key_pinned")).isFalse();
    assertThat(http.post("/v1/nodes/heartbeat", n1.unsignedHeartbeat()).ok().bool("key_pinned")).isFalse();
    assertThat(SimNode.str(node(http, "kc_node_01"), "public_key_hex")).isEqualTo(n1.pub());
    // a signed heartbeat proves possession and pins
    assertThat(http.post("/v1/nodes/heartbeat", n1.heartbeat(now())).ok().bool("key_pinned")).isTrue();
    // from now on another key is refused, signed or not, and nothing changes
    http.post("/v1/nodes/heartbeat", attacker.unsignedHeartbeat()).expect(422, "key_mismatch");
    http.post("/v1/nodes/heartbeat", attacker.heartbeat(now())).expect(422, "key_mismatch");
    http.post("/v1/nodes/heartbeat", attacker.launcherHeartbeat(now(), "cpu")).expect(422, "key_mismatch");
    assertThat(SimNode.str(node(http, "kc_node_01"), "public_key_hex")).isEqualTo(n1.pub());
    // an unsigned heartbeat with the pinned key refreshes presence
    clock.advance(Duration.ofSeconds(200));
    assertThat(node(http, "kc_node_01").get("is_online").orElseThrow().toString()).isEqualTo("false");
    http.post("/v1/nodes/heartbeat", n1.unsignedHeartbeat()).ok();
    assertThat(node(http, "kc_node_01").get("is_online").orElseThrow().toString()).isEqualTo("true");
    // the attacker's proof for the node's job is refused
    long job = Http.Reply.num(http.post("/v1/jobs/next", n1.nodeBody()).ok().obj("job"), "id");
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(attacker.jobProof(job, 1000, 1, now())))
        .expect(422, "key_mismatch");
    String withoutKey = SimNode.json(attacker.jobProof(job, 1000, 1, now()))
        .replaceAll(",\"public_key_hex\":\"[0-9a-f]+\"", "");
    http.post("/v1/jobs/" + job + "/proof", withoutKey).expect(422, "bad_signature");
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(n1.jobProof(job, 1000, 1, now()))).ok();
  }

  @Test
  void theFirstVerifiedProofPinsTheClaimedKey() {
    Coordinator c = coordinator(VerificationPolicy.STRICT, CoordinatorStores.inMemory());
    Http http = new Http(c);
    http.post("/v1/nodes/heartbeat", n1.unsignedHeartbeat()).ok();
    long job = Http.Reply.num(http.post("/v1/jobs/next", n1.nodeBody()).ok().obj("job"), "id");
    // a proof by another key than the claim does not verify and pins nothing
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(attacker.jobProof(job, 1000, 1, now()))
        .replaceAll(",\"public_key_hex\":\"[0-9a-f]+\"", "")).expect(422, "bad_signature");
    assertThat(node(http, "kc_node_01").get("key_pinned").orElseThrow().toString()).isEqualTo("false");
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(n1.jobProof(job, 1000, 1, now()))).ok();
    assertThat(node(http, "kc_node_01").get("key_pinned").orElseThrow().toString()).isEqualTo("true");
    assertThat(c.stores().directory().node(NodeId.of("kc_node_01")).orElseThrow().pinnedBy())
        .contains(KeyEvidence.VERIFIED_PROOF);
    http.post("/v1/nodes/heartbeat", attacker.unsignedHeartbeat()).expect(422, "key_mismatch");
  }

  @Test
  void v1CompatTrustsTheFirstUnsignedHeartbeatButNeverALaterOne() {
    Coordinator c = coordinator(VerificationPolicy.V1_COMPAT, CoordinatorStores.inMemory());
    Http http = new Http(c);
    assertThat(http.post("/v1/nodes/heartbeat", n1.unsignedHeartbeat()).ok().bool("key_pinned")).isTrue();
    http.post("/v1/nodes/heartbeat", attacker.unsignedHeartbeat()).expect(422, "key_mismatch");
    assertThat(c.stores().directory().node(NodeId.of("kc_node_01")).orElseThrow().pinnedBy())
        .contains(KeyEvidence.UNSIGNED_HEARTBEAT);
  }

  @Test
  void aRotationNeedsTheNewKeysSignatureAndThePinnedKeysConsent() {
    Coordinator c = coordinator(VerificationPolicy.STRICT, CoordinatorStores.inMemory());
    Http http = new Http(c);
    SimNode next = new SimNode(2, "kc_node_01");
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now())).ok();
    long ts = now();
    byte[] consent = KeyRotationEntry.message(NodeId.of("kc_node_01"), n1.keys.publicKey(),
        next.keys.publicKey(), ts);
    String byOld = next.rotationConsentFrom(n1, ts);
    String byNew = HexCodec.encode(Signatures.signRaw(next.keys, consent));
    http.post("/v1/nodes/heartbeat", next.rotatingHeartbeat(ts, byNew)).expect(422, "bad_signature");
    http.post("/v1/nodes/heartbeat", next.rotatingHeartbeat(ts, byOld).replaceAll(",\"signature_hex\":\"[0-9a-f]+\"", ""))
        .expect(422, "missing_signature");
    assertThat(c.stores().directory().rotations(NodeId.of("kc_node_01"))).isEmpty();
    assertThat(http.post("/v1/nodes/heartbeat", next.rotatingHeartbeat(ts, byOld)).ok().bool("key_pinned")).isTrue();
    assertThat(SimNode.str(node(http, "kc_node_01"), "public_key_hex")).isEqualTo(next.pub());
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now())).expect(422, "key_mismatch");
    // an operator rotates back; both rotations are recorded
    c.rotateKey(NodeId.of("kc_node_01"), n1.keys.publicKey().toPublicKeyBytes());
    List<KeyRotation> history = c.stores().directory().rotations(NodeId.of("kc_node_01"));
    assertThat(history).extracting(KeyRotation::by)
        .containsExactly(KeyEvidence.NODE_ROTATION, KeyEvidence.OPERATOR);
    assertThat(history.get(0).signature()).contains(byOld);
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now())).ok();
  }

  @Test
  void pinsAreNeverEvictedAndFreshIdsAreRefusedWhenTheirBoundIsFull() {
    CoordinatorStores stores = CoordinatorStores.inMemoryBuilder()
        .directoryLimits(new DirectoryLimits(3, 5, Duration.ofHours(24), 16)).build();
    Coordinator c = coordinator(VerificationPolicy.STRICT, stores);
    Http http = new Http(c);
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now())).ok();
    for (int i = 0; i < 5; i++) {
      http.post("/v1/nodes/heartbeat", new SimNode(100 + i).unsignedHeartbeat()).ok();
    }
    Http.Reply full = http.post("/v1/nodes/heartbeat", new SimNode(200).unsignedHeartbeat())
        .expect(503, "directory_full");
    assertThat(c.handle("POST", "/v1/nodes/heartbeat", new SimNode(201).unsignedHeartbeat()
        .getBytes(StandardCharsets.UTF_8)).retryAfterSeconds()).hasValue(1);
    assertThat(full.envelope().toString()).contains("retry later");
    // pins have their own bound: signed heartbeats still pin, up to it
    http.post("/v1/nodes/heartbeat", new SimNode(300).heartbeat(now())).ok();
    http.post("/v1/nodes/heartbeat", new SimNode(301).heartbeat(now())).ok();
    http.post("/v1/nodes/heartbeat", new SimNode(302).heartbeat(now())).expect(503, "directory_full");
    // the victim's pin holds and its work goes on
    http.post("/v1/nodes/heartbeat", attacker.unsignedHeartbeat()).expect(422, "key_mismatch");
    long job = Http.Reply.num(http.post("/v1/jobs/next", n1.nodeBody()).ok().obj("job"), "id");
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(n1.jobProof(job, 1000, 1, now()))).ok();
    // unpinned ids past their retention make room again
    clock.advance(Duration.ofHours(25));
    http.post("/v1/nodes/heartbeat", new SimNode(200).unsignedHeartbeat()).ok();
  }

  @Test
  void aFloodOf110000FreshUnsignedIdsCannotTakeOverAPinnedId() {
    Coordinator c = coordinator(VerificationPolicy.STRICT, CoordinatorStores.inMemory());
    c.heartbeat(request(n1.heartbeat(now())), Optional.empty());
    String key = attacker.pub();
    int refused = 0;
    for (int i = 0; i < 110_000; i++) {
      try {
        c.heartbeat(HeartbeatRequest.of(NodeId.of("flood-" + i), key, List.of("node")), Optional.empty());
      } catch (KasComputeException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.DIRECTORY_FULL);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(10_000);
    Http http = new Http(c);
    http.post("/v1/nodes/heartbeat", attacker.unsignedHeartbeat()).expect(422, "key_mismatch");
    http.post("/v1/nodes/heartbeat", attacker.heartbeat(now())).expect(422, "key_mismatch");
    assertThat(c.stores().directory().node(NodeId.of("kc_node_01")).orElseThrow().key().hex())
        .isEqualTo(n1.pub());
  }

  @Test
  void admissionBoundsIdsAndStoredFields() {
    Coordinator c = coordinator(VerificationPolicy.STRICT, CoordinatorStores.inMemory());
    Http http = new Http(c);
    String pub = n1.pub();
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"a\\u0001b\",\"public_key_hex\":\"" + pub + "\"}")
        .expect(400, "invalid_id");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"\",\"public_key_hex\":\"" + pub + "\"}")
        .expect(400, "invalid_id");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"" + "x".repeat(257) + "\",\"public_key_hex\":\"" + pub + "\"}")
        .expect(400, "invalid_id");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"p\",\"public_key_hex\":\"" + pub
        + "\",\"compute_profile\":\"" + "y".repeat(5000) + "\"}").expect(400, "value_too_large");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"p\",\"public_key_hex\":\"" + pub
        + "\",\"client_version\":\"" + "v".repeat(129) + "\"}").expect(400, "value_too_large");
    http.post("/v1/nodes/heartbeat", "{\"node_id\":\"p\",\"public_key_hex\":\"" + pub
        + "\",\"roles\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}").expect(400, "value_too_large");
    assertThat(c.stores().directory().nodes(Optional.empty(), 10)).isEmpty();
    // a host that allows what V1 allows
    Coordinator lax = Coordinator.builder().clock(clock)
        .limits(CoordinatorLimits.DEFAULT.withControlCharactersInIds(true)).build();
    new Http(lax).post("/v1/nodes/heartbeat", "{\"node_id\":\"a\\u0001b\",\"public_key_hex\":\"" + pub + "\"}").ok();
  }

  private static HeartbeatRequest request(String json) {
    return HeartbeatRequest.fromJson((JsonObject) StrictJsonReader.withDefaults().read(json));
  }
}
