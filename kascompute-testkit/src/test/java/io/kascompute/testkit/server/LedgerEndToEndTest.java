package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.NoteVerifierKey;
import io.kascompute.crypto.ledger.TaskEntry;
import io.kascompute.dag.jdbc.EmbeddedPg;
import io.kascompute.testkit.FakeClock;
import io.kascompute.testkit.cli.KasComputeCli;
import io.kascompute.testkit.fleet.DagGenerator;
import io.kascompute.testkit.fleet.DagRuns;
import io.kascompute.testkit.fleet.Fleet;
import io.kascompute.testkit.fleet.FleetReport;
import io.kascompute.testkit.fleet.LeaseTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The verifiable ledger end to end over real loopback HTTP: a fleet of SDK and launcher nodes
 * gets proofs of both schemes accepted by {@code kascompute serve} with a coordinator key (in
 * memory, on PostgreSQL, and as two coordinators on one database); {@code ledger fetch} and
 * {@code audit} then check the log, inclusion proofs of random entries and the consistency of two
 * checkpoints are verified with the crypto package's verifiers, and one altered byte makes the
 * audit fail naming its entry.
 */
@Tag("slow")
class LedgerEndToEndTest {
  private static final NodeKeyPair COORDINATOR =
      NodeKeyPair.fromSeedHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  private static final String ORIGIN = "kascompute.test/ledger";
  /** The verifier key, derived here from the key pair rather than taken from the coordinator. */
  private static final String VKEY = NoteVerifierKey.of(ORIGIN, COORDINATOR.publicKey()).vkey();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void aFleetRunInMemoryIsAuditedCompletelyAndOneAlteredByteIsNamed() throws Exception {
    FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    try (ReferenceServer server = server(clock, Optional.empty(), 1)) {
      server.start();
      checkTheLedgerOf(List.of(server.uri()), clock);
    }
  }

  @Test
  void aFleetRunOnPostgresIsAuditedCompletely() throws Exception {
    FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    try (ReferenceServer server = server(clock, Optional.of(EmbeddedPg.freshDatabase()), 1)) {
      server.start();
      checkTheLedgerOf(List.of(server.uri()), clock);
    }
  }

  @Test
  void twoCoordinatorsOnOneDatabaseKeepOneLogWhoseCheckpointsAgree() throws Exception {
    FakeClock clock = FakeClock.at(Instant.ofEpochSecond(1_710_000_000));
    String url = EmbeddedPg.freshDatabase();
    try (ReferenceServer a = server(clock, Optional.of(url), 1);
        ReferenceServer b = server(clock, Optional.of(url), 2)) {
      a.start();
      b.start();
      Path export = checkTheLedgerOf(List.of(a.uri(), b.uri()), clock);

      List<byte[]> entries = lines(export.resolve("entries.jsonl"));
      Set<String> coordinators = new HashSet<>();
      for (byte[] e : entries) {
        coordinators.add(LedgerEntry.parse(e).coordinator());
      }
      assertThat(coordinators).containsExactlyInAnyOrder(a.coordinator().coordinatorId(),
          b.coordinator().coordinatorId());
      clock.advance(Duration.ofSeconds(6));
      String noteA = text(a.uri(), "/v1/ledger/checkpoint");
      String noteB = text(b.uri(), "/v1/ledger/checkpoint");
      assertThat(noteA).isEqualTo(noteB);
      Checkpoint c = Checkpoint.open(noteA, NoteVerifierKey.parse(VKEY));
      assertThat(c.size()).isEqualTo(entries.size());
      assertThat(a.coordinator().stores().ledger().log().size()).isEqualTo(entries.size());
      assertThat(b.coordinator().stores().ledger().log().size()).isEqualTo(entries.size());

      // an operator of b rotates a fleet node's key: the entry is in the one log a serves too,
      // and the audit follows the node to its new key
      TaskEntry proof = entries.stream().map(LedgerEntry::parse)
          .filter(TaskEntry.class::isInstance).map(TaskEntry.class::cast).findFirst().orElseThrow();
      String oldKey = proof.publicKeyHex();
      NodeKeyPair next = NodeKeyPair.fromSeedHex("11".repeat(32));
      b.coordinator().rotateKey(proof.nodeId(), next.publicKey().toPublicKeyBytes());
      long rotatedAt = clock.instant().getEpochSecond();
      clock.advance(Duration.ofSeconds(6));
      Path rotated = fetch(a.uri(), "rotated");
      List<byte[]> after = lines(rotated.resolve("entries.jsonl"));
      assertThat(after).hasSize(entries.size() + 1);
      assertThat(LedgerEntry.parse(after.get(entries.size()))).isEqualTo(new KeyRotationEntry(
          proof.nodeId(), oldKey, next.publicKey().hex(), KeyRotationEntry.Authority.OPERATOR,
          Optional.empty(), rotatedAt, rotatedAt, b.coordinator().coordinatorId()));
      assertThat(audit(rotated)).containsExactly(0, -1);
    }
  }

  /**
   * Runs the fleet in two phases against {@code urls}, checks the ledger after each with the
   * commands and the verifiers, and returns the directory of the final export.
   */
  private Path checkTheLedgerOf(List<URI> urls, FakeClock clock) throws Exception {
    URI first = urls.get(0);
    String runId = DagRuns.start(first, DagGenerator.layeredSubmitBody("ledger-e2e", 40, 5));
    FleetReport phase1 = fleet(urls, clock, 11).run(runId).untilIdle().build().run();
    assertThat(phase1.clean()).isTrue();
    assertThat(phase1.runsFinished()).isTrue();

    clock.advance(Duration.ofSeconds(6));
    Path one = fetch(first, "one");
    Checkpoint c1 = Checkpoint.open(Files.readString(one.resolve("checkpoint")),
        NoteVerifierKey.parse(VKEY));
    assertThat(audit(one)).containsExactly(0, -1);

    FleetReport phase2 = fleet(urls, clock, 12).duration(Duration.ofSeconds(2)).build().run();
    assertThat(phase2.jobsAccepted()).isPositive();
    clock.advance(Duration.ofSeconds(6));
    Path two = fetch(urls.get(urls.size() - 1), "two");
    Checkpoint c2 = Checkpoint.open(Files.readString(two.resolve("checkpoint")),
        NoteVerifierKey.parse(VKEY));
    assertThat(c2.size()).isGreaterThan(c1.size());
    assertThat(audit(two)).containsExactly(0, -1);

    // both schemes and both kinds are in the log
    List<byte[]> entries = lines(two.resolve("entries.jsonl"));
    assertThat(entries).hasSize((int) c2.size());
    Set<String> kinds = new HashSet<>();
    for (byte[] e : entries) {
      JsonObject o = (JsonObject) StrictJsonReader.withDefaults().read(e);
      kinds.add(((JsonString) o.members().get("kind")).value() + "/"
          + ((JsonString) o.members().get("scheme")).value());
    }
    assertThat(kinds).containsExactlyInAnyOrder("job/digest", "job/launcher", "task/digest");
    // the first export is a prefix of the second
    assertThat(entries.subList(0, (int) c1.size())).containsExactlyElementsOf(
        lines(one.resolve("entries.jsonl")));

    // consistency of the two checkpoints, with the proof the coordinator serves
    for (URI u : urls) {
      List<Sha256Digest> proof = hashes(u, "/v1/ledger/proof/consistency?first=" + c1.size()
          + "&second=" + c2.size());
      MerkleTree.verifyConsistency(c1.size(), c2.size(), c1.root(), c2.root(), proof);
    }
    // inclusion of random entries in the second checkpoint
    SplittableRandom random = new SplittableRandom(42);
    for (int k = 0; k < 8; k++) {
      int i = random.nextInt(entries.size());
      List<Sha256Digest> path = hashes(urls.get(k % urls.size()),
          "/v1/ledger/proof/inclusion?index=" + i + "&size=" + c2.size());
      MerkleTree.verifyInclusion(i, c2.size(), MerkleTree.leafHash(entries.get(i)), path,
          c2.root());
    }

    // one altered byte of one entry's signature: the audit fails and names that entry
    int bad = random.nextInt(entries.size());
    List<byte[]> tampered = new ArrayList<>(entries);
    byte[] changed = entries.get(bad).clone();
    int at = indexOf(changed, "\"signature\":\"".getBytes(StandardCharsets.US_ASCII)) + 13;
    changed[at] = (byte) (changed[at] == '0' ? '1' : '0');
    tampered.set(bad, changed);
    Path altered = Files.createDirectories(dir.resolve("altered"));
    Files.copy(two.resolve("checkpoint"), altered.resolve("checkpoint"));
    write(altered.resolve("entries.jsonl"), tampered);
    assertThat(audit(altered)).containsExactly(1, bad);
    return two;
  }

  private static ReferenceServer server(FakeClock clock, Optional<String> jdbcUrl, long jobSeed) {
    ReferenceServer.Builder b = ReferenceServer.builder()
        .port(0)
        .clock(clock)
        .coordinatorKey(COORDINATOR)
        .ledgerOrigin(ORIGIN)
        .taskLease(Duration.ofSeconds(30))
        .jobLease(Duration.ofSeconds(30))
        .maxAttempts(50)
        .jobInterval(Duration.ofSeconds(1))
        .jobSeed(jobSeed)
        .threads(4);
    jdbcUrl.ifPresent(u -> b.jdbc(u, "postgres", ""));
    return b.build();
  }

  private static Fleet.Builder fleet(List<URI> urls, FakeClock clock, long seed) {
    Fleet.Builder f = Fleet.builder().nodes(4).launcherNodes(2).seed(seed)
        .leaseTime(LeaseTime.controlled(clock, clock::advance, Duration.ofSeconds(3)));
    urls.forEach(f::url);
    return f;
  }

  private Path fetch(URI url, String name) {
    Path out = dir.resolve(name);
    StringWriter err = new StringWriter();
    CommandLine cli = KasComputeCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute("ledger", "fetch", "--url", url.toString(), "--out", out.toString());
    assertThat(err.toString()).isEmpty();
    assertThat(exit).isZero();
    return out;
  }

  /** {@code kascompute audit --json} of an export: the exit code and the first bad entry, or -1. */
  private static long[] audit(Path export) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cli = KasComputeCli.newCommandLine();
    cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    int exit = cli.execute("audit", "--checkpoint", export.resolve("checkpoint").toString(),
        "--vkey", VKEY, "--json", export.resolve("entries.jsonl").toString());
    JsonObject report = (JsonObject) StrictJsonReader.withDefaults()
        .read(out.toString(StandardCharsets.UTF_8).strip());
    long index = -1;
    if (report.members().get("first_bad_entry") instanceof JsonObject f
        && f.members().get("index") instanceof JsonNumber n) {
      index = n.unsignedLongValue("index");
    }
    return new long[] {exit, index};
  }

  static HttpResponse<byte[]> get(URI base, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(URI base, String path) throws Exception {
    HttpResponse<byte[]> r = get(base, path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static List<Sha256Digest> hashes(URI base, String path) throws Exception {
    HttpResponse<byte[]> r = get(base, path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    JsonObject envelope = (JsonObject) StrictJsonReader.withDefaults().read(r.body());
    JsonValue hashes = ((JsonObject) envelope.members().get("data")).members().get("hashes");
    List<Sha256Digest> out = new ArrayList<>();
    for (JsonValue h : ((JsonArray) hashes).elements()) {
      out.add(Sha256Digest.fromHex(((JsonString) h).value()));
    }
    return out;
  }

  private static List<byte[]> lines(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        out.add(java.util.Arrays.copyOfRange(all, from, i));
        from = i + 1;
      }
    }
    return out;
  }

  private static void write(Path file, List<byte[]> lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.write('\n');
    }
    Files.write(file, out.toByteArray());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
