package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.ledger.AuditReport;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerAuditor;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.NoteVerifierKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger endpoints of the coordinator ({@code docs/spec/ledger.md} section 5): the key, the
 * lazily re-signed checkpoint, the entries as NDJSON, the proofs, and typed refusals of bad
 * queries and of a coordinator without a key.
 */
class CoordinatorLedgerTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  static final String ORIGIN = "kascompute.example/ledger";
  MutableClock clock = new MutableClock(T0);
  NodeKeyPair coordinatorKey;
  Coordinator coordinator;
  Http http;
  SimNode n1 = new SimNode(1);

  @BeforeEach
  void setUp() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    coordinatorKey = NodeKeyPair.fromSeed(seed);
    coordinator = Coordinator.builder().clock(clock).signingKey(coordinatorKey)
        .ledgerOrigin(ORIGIN).build();
    for (long i = 1; i <= 20; i++) {
      coordinator.addJob(40 + i);
    }
    http = new Http(coordinator);
    http.post("/v1/nodes/heartbeat", n1.heartbeat(now(), "miner")).ok();
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  /** Leases the next job to n1 and proves it; returns the receipt's ledger index. */
  long acceptJob() {
    return acceptJob(n1);
  }

  /** Leases the next job to {@code node} and proves it; returns the receipt's ledger index. */
  long acceptJob(SimNode node) {
    Http.Reply next = http.post("/v1/jobs/next", node.nodeBody()).ok();
    long id = Http.Reply.num(next.obj("job"), "id");
    long units = Http.Reply.num(next.obj("job"), "work_units");
    return http.post("/v1/jobs/" + id + "/proof", SimNode.json(node.jobProof(id, units, 10, now())))
        .ok().num("ledger_index");
  }

  CoordinatorResponse raw(String target) {
    return coordinator.handle("GET", target, new byte[0]);
  }

  Checkpoint checkpoint() {
    CoordinatorResponse r = raw("/v1/ledger/checkpoint");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
    return Checkpoint.open(new String(r.body(), StandardCharsets.UTF_8),
        NoteVerifierKey.of(ORIGIN, coordinatorKey.publicKey()));
  }

  List<byte[]> entries(long start, long end) {
    CoordinatorResponse r = raw("/v1/ledger/entries?start=" + start + "&end=" + end);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/x-ndjson");
    byte[] body = r.body();
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        out.add(Arrays.copyOfRange(body, from, i));
        from = i + 1;
      }
    }
    assertThat(from).isEqualTo(body.length);
    return out;
  }

  List<Sha256Digest> hashes(String target) {
    List<Sha256Digest> out = new ArrayList<>();
    for (JsonValue v : http.get(target).ok().arr("hashes").elements()) {
      out.add(Sha256Digest.fromHex(((JsonString) v).value()));
    }
    return out;
  }

  @Test
  void theKeyEndpointNamesTheOriginTheKeyAndItsVerifierKey() {
    Http.Reply key = http.get("/v1/ledger/key").ok();
    assertThat(key.data().members().keySet()).containsExactly("origin", "public_key_hex", "vkey");
    assertThat(key.str("origin")).isEqualTo(ORIGIN);
    assertThat(key.str("public_key_hex")).isEqualTo(coordinatorKey.publicKey().hex());
    assertThat(key.str("vkey"))
        .isEqualTo(NoteVerifierKey.of(ORIGIN, coordinatorKey.publicKey()).vkey());
  }

  @Test
  void receiptsCarryTheIndexOfTheirEntryAndTheEntriesAreTheAcceptedProofs() {
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(acceptJob()).isEqualTo(i);
    }
    clock.advance(Duration.ofSeconds(10));
    Checkpoint c = checkpoint();
    assertThat(c.size()).isEqualTo(5);
    List<byte[]> leaves = entries(0, 5);
    assertThat(MerkleTree.root(leaves)).isEqualTo(c.root());
    for (byte[] leaf : leaves) {
      LedgerEntry e = LedgerEntry.parse(leaf);
      assertThat(e.nodeId().value()).isEqualTo(n1.id);
      assertThat(e.coordinator()).isEqualTo(coordinator.coordinatorId());
    }
    assertThat(entries(2, 4)).containsExactly(leaves.get(2), leaves.get(3));
    for (int i = 0; i < 5; i++) {
      MerkleTree.verifyInclusion(i, 5, MerkleTree.leafHash(leaves.get(i)),
          hashes("/v1/ledger/proof/inclusion?index=" + i + "&size=5"), c.root());
    }
    for (int m = 0; m <= 5; m++) {
      MerkleTree.verifyConsistency(m, 5, MerkleTree.root(leaves.subList(0, m)), c.root(),
          hashes("/v1/ledger/proof/consistency?first=" + m + "&second=5"));
    }
  }

  @Test
  void keyRotationsAreEntriesBetweenTheProofsAndTheAuditAcceptsTheRotatedKeys() throws IOException {
    SimNode first = new SimNode(3, "kc-rotating-node");
    SimNode second = new SimNode(4, "kc-rotating-node");
    http.post("/v1/nodes/heartbeat", first.heartbeat(now(), "miner")).ok();
    clock.advance(Duration.ofSeconds(1));
    assertThat(acceptJob(first)).isEqualTo(0);
    http.post("/v1/nodes/heartbeat",
        second.rotatingHeartbeat(now(), second.rotationConsentFrom(first, now()))).ok();
    clock.advance(Duration.ofSeconds(1));
    assertThat(acceptJob(second)).isEqualTo(2);
    coordinator.rotateKey(NodeId.of(first.id), first.keys.publicKey().toPublicKeyBytes());
    clock.advance(Duration.ofSeconds(1));
    assertThat(acceptJob(first)).isEqualTo(4);
    clock.advance(Duration.ofSeconds(10));
    Checkpoint c = checkpoint();
    List<byte[]> leaves = entries(0, 5);
    assertThat(LedgerEntry.parse(leaves.get(1))).isInstanceOfSatisfying(KeyRotationEntry.class,
        r -> {
          assertThat(r.by()).isEqualTo(KeyRotationEntry.Authority.NODE);
          assertThat(r.oldPublicKeyHex()).isEqualTo(first.pub());
          assertThat(r.newPublicKeyHex()).isEqualTo(second.pub());
          assertThat(r.coordinator()).isEqualTo(coordinator.coordinatorId());
        });
    assertThat(LedgerEntry.parse(leaves.get(3))).isInstanceOfSatisfying(KeyRotationEntry.class,
        r -> assertThat(r.by()).isEqualTo(KeyRotationEntry.Authority.OPERATOR));

    AuditReport report = audit(c, leaves);
    assertThat(report.passed()).isTrue();
    assertThat(report.rotations()).isEqualTo(2);

    List<byte[]> withoutTheFirstRotation = new ArrayList<>(leaves);
    withoutTheFirstRotation.remove(1);
    List<AuditReport.EntryFailure> failures = new ArrayList<>();
    assertThat(audit(c, withoutTheFirstRotation, failures).passed()).isFalse();
    assertThat(failures).extracting(AuditReport.EntryFailure::code)
        .contains(ErrorCode.KEY_MISMATCH);
  }

  private AuditReport audit(Checkpoint c, List<byte[]> leaves) throws IOException {
    return audit(c, leaves, new ArrayList<>());
  }

  private AuditReport audit(Checkpoint c, List<byte[]> leaves,
      List<AuditReport.EntryFailure> failures) throws IOException {
    ByteArrayOutputStream export = new ByteArrayOutputStream();
    for (byte[] leaf : leaves) {
      export.writeBytes(leaf);
      export.write('\n');
    }
    return LedgerAuditor.create(ProofVerifier.create(), Runnable::run, 1)
        .audit(c, new ByteArrayInputStream(export.toByteArray()), failures::add);
  }

  @Test
  void theCheckpointIsReSignedAtMostEveryFiveSecondsAndNeverOlderThanThat() {
    assertThat(checkpoint().size()).isZero();
    acceptJob();
    clock.advance(Duration.ofMillis(4999));
    assertThat(checkpoint().size()).as("within 5 s the signed checkpoint is served again").isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(checkpoint().size()).isEqualTo(1);
    acceptJob();
    acceptJob();
    assertThat(checkpoint().size()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    Checkpoint three = checkpoint();
    assertThat(three.size()).isEqualTo(3);
    assertThat(three.root()).isEqualTo(coordinator.stores().ledger().log().root(3));
    // a clock that steps back is not trusted to keep the checkpoint fresh
    acceptJob();
    clock.advance(Duration.ofSeconds(-60));
    assertThat(checkpoint().size()).isEqualTo(4);
  }

  @Test
  void badQueriesAreTypedRefusals() {
    acceptJob();
    acceptJob();
    http.get("/v1/ledger/entries?end=1").expect(400, "missing_field");
    http.get("/v1/ledger/entries?start=0").expect(400, "missing_field");
    http.get("/v1/ledger/entries?start=x&end=1").expect(400, "field_out_of_range");
    http.get("/v1/ledger/entries?start=-1&end=1").expect(400, "field_out_of_range");
    http.get("/v1/ledger/entries?start=0&end=3").expect(400, "field_out_of_range");
    http.get("/v1/ledger/entries?start=1&end=1").expect(400, "field_out_of_range");
    http.get("/v1/ledger/entries?start=0&end=18446744073709551615")
        .expect(400, "field_out_of_range");
    http.get("/v1/ledger/entries?start=0&end=18446744073709551616")
        .expect(400, "field_out_of_range");
    http.get("/v1/ledger/proof/inclusion?index=0").expect(400, "missing_field");
    http.get("/v1/ledger/proof/inclusion?index=2&size=2").expect(400, "field_out_of_range");
    http.get("/v1/ledger/proof/inclusion?index=0&size=3").expect(400, "field_out_of_range");
    http.get("/v1/ledger/proof/inclusion?index=9223372036854775808&size=2")
        .expect(400, "field_out_of_range");
    http.get("/v1/ledger/proof/consistency?first=2&second=1").expect(400, "field_out_of_range");
    http.get("/v1/ledger/proof/consistency?first=0&second=3").expect(400, "field_out_of_range");
    http.get("/v1/ledger/proof/consistency?second=1").expect(400, "missing_field");
    http.call("POST", "/v1/ledger/checkpoint", new byte[0]).expect(405, "method_not_allowed");
    assertThat(hashes("/v1/ledger/proof/consistency?first=2&second=2")).isEmpty();
  }

  @Test
  void aRangeOfMoreThanAThousandEntriesIsCutToItsFirstThousand() {
    for (int i = 0; i < 1001; i++) {
      coordinator.addJob(1);
      clock.advance(Duration.ofMillis(1));
      acceptJob();
    }
    List<byte[]> page = entries(1, 1001);
    assertThat(page).hasSize(1000);
    assertThat(entries(0, 5000)).hasSize(1000);
    assertThat(entries(1000, 1001)).hasSize(1);
    http.get("/v1/ledger/entries?start=1&end=9223372036854775808")
        .expect(400, "field_out_of_range");
    assertThat(page.get(999)).isEqualTo(entries(1000, 1001).get(0));
  }

  @Test
  void withoutACoordinatorKeyThereIsNoLedgerEndpoint() {
    Http plain = new Http(Coordinator.builder().clock(clock).build());
    for (String target : List.of("/v1/ledger/key", "/v1/ledger/checkpoint",
        "/v1/ledger/entries?start=0&end=1", "/v1/ledger/proof/inclusion?index=0&size=1",
        "/v1/ledger/proof/consistency?first=0&second=0")) {
      plain.get(target).expect(404, "not_found");
    }
  }

  @Test
  void theDefaultOriginIsDerivedFromTheCoordinatorKey() {
    Coordinator c = Coordinator.builder().clock(clock).signingKey(coordinatorKey).build();
    assertThat(new Http(c).get("/v1/ledger/key").ok().str("origin"))
        .isEqualTo("kascompute/" + coordinatorKey.publicKey().hex().substring(0, 16));
  }
}
