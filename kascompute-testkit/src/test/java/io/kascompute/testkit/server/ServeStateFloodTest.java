package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.NodeId;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.testkit.cli.KasComputeCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The state floods of issue 14 against {@code kascompute serve} with its defaults in a child JVM
 * with a 512 MB heap: fresh node ids, oversized heartbeat fields and run creation each run into
 * their bound and are refused with its code, while pins hold and the server keeps answering.
 */
@Tag("slow")
class ServeStateFloodTest {
  private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
  private static final Pattern DAG_ID = Pattern.compile("\"dag_id\":\"([0-9a-f]{64})\"");
  private static final int CLIENTS = 8;

  private final NodeKeyPair victim = NodeKeyPair.fromSeed(seed(1));
  private final NodeKeyPair attacker = NodeKeyPair.fromSeed(seed(2));

  @Test
  @Timeout(900)
  void idProfileAndRunFloodsAreRefusedByTheirBoundsAndThePinHolds() throws Exception {
    try (ChildJvm child = ChildJvm.start(List.of("-Xmx512m"), KasComputeCli.class, "serve", "--port", "0");
        Client http = new Client(Integer.parseInt(child.awaitLine(true,
            "listening on http://127\\.0\\.0\\.1:(\\d+) ", Duration.ofSeconds(30))))) {
      assertThat(http.post("/v1/nodes/heartbeat", signedHeartbeat("victim", victim)).status()).isEqualTo(200);

      // 110,000 unsigned heartbeats with fresh ids: the unpinned bound (100,000) refuses the rest
      Map<String, Long> ids = http.flood(110_000, i -> "{\"node_id\":\"flood-" + i
          + "\",\"public_key_hex\":\"" + attacker.publicKey().hex() + "\"}");
      assertThat(ids).containsOnly(Map.entry("ok", 100_000L), Map.entry("directory_full", 10_000L));
      assertThat(http.post("/v1/nodes/heartbeat", "{\"node_id\":\"victim\",\"public_key_hex\":\""
          + attacker.publicKey().hex() + "\"}").code()).isEqualTo("key_mismatch");
      assertThat(http.post("/v1/nodes/heartbeat", signedHeartbeat("victim", attacker)).code())
          .isEqualTo("key_mismatch");
      assertThat(http.post("/v1/nodes/heartbeat", signedHeartbeat("victim", victim)).status()).isEqualTo(200);

      // 200 heartbeats with a 1 MB compute_profile: refused, nothing kept
      String profile = "x".repeat(1_000_000);
      Map<String, Long> big = http.flood(200, i -> "{\"node_id\":\"flood-" + i
          + "\",\"public_key_hex\":\"" + attacker.publicKey().hex() + "\",\"compute_profile\":\""
          + profile + "\"}");
      assertThat(big).containsOnly(Map.entry("value_too_large", 200L));

      // runs of five 10,000-task DAGs until the live-run bounds (64 per DAG, 256 in all) refuse
      List<String> dags = new ArrayList<>();
      for (int d = 0; d < 5; d++) {
        Reply r = http.post("/v1/dags/submit", dag("flood-" + d, 10_000));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Matcher m = DAG_ID.matcher(r.body());
        assertThat(m.find()).isTrue();
        dags.add(m.group(1));
      }
      for (int d = 0; d < 4; d++) {
        for (int i = 0; i < 64; i++) {
          assertThat(http.post("/v1/dags/" + dags.get(d) + "/runs", "").status()).isEqualTo(200);
        }
        assertThat(http.post("/v1/dags/" + dags.get(d) + "/runs", "").code()).isEqualTo("too_many_runs");
      }
      assertThat(http.post("/v1/dags/" + dags.get(4) + "/runs", "").code()).isEqualTo("too_many_runs");

      // still answering, still holding the pin
      long started = System.nanoTime();
      assertThat(http.get("/v1/metrics").status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(http.get("/v1/nodes?after=vic&limit=1").body()).contains(victim.publicKey().hex());

      child.terminate();
      assertThat(child.awaitExit(Duration.ofSeconds(15))).isEqualTo(128 + 15);
      assertThat(child.stderr()).noneMatch(l -> l.contains("OutOfMemoryError"));
    }
  }

  private static String signedHeartbeat(String id, NodeKeyPair keys) {
    long ts = Instant.now().getEpochSecond();
    String sig = ProofSigner.of(keys).signLauncherHeartbeat(
        new LauncherHeartbeat(NodeId.of(id), "cpu-standard", ts));
    return "{\"node_id\":\"" + id + "\",\"public_key_hex\":\"" + keys.publicKey().hex()
        + "\",\"compute_profile\":\"cpu-standard\",\"timestamp_unix\":" + ts
        + ",\"signature_hex\":\"" + sig + "\"}";
  }

  /** A submit body: a chain of {@code tasks} tasks. */
  private static String dag(String name, int tasks) {
    StringBuilder sb = new StringBuilder("{\"spec\":{\"name\":\"").append(name).append("\",\"nodes\":[");
    for (int i = 0; i < tasks; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"task_id\":\"t").append(i).append("\",\"work_units\":1}");
    }
    sb.append("],\"edges\":[");
    for (int i = 1; i < tasks; i++) {
      sb.append(i == 1 ? "" : ",").append("{\"from\":\"t").append(i - 1).append("\",\"to\":\"t")
          .append(i).append("\"}");
    }
    return sb.append("]}}").toString();
  }

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private record Reply(int status, String body) {
    String code() {
      Matcher m = CODE.matcher(body);
      return status == 200 ? "ok" : m.find() ? m.group(1) : "http_" + status;
    }
  }

  /** A keep-alive HTTP/1.1 client that retries {@code overloaded} answers after a short pause. */
  private static final class Client implements AutoCloseable {
    private final URI base;
    private final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    private final java.util.concurrent.atomic.AtomicInteger reconnects =
        new java.util.concurrent.atomic.AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    Client(int port) {
      this.base = URI.create("http://127.0.0.1:" + port);
    }

    Reply post(String path, String body) throws Exception {
      return send(HttpRequest.newBuilder(base.resolve(path))
          .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    Reply get(String path) throws Exception {
      return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private Reply send(HttpRequest.Builder request) throws Exception {
      HttpRequest r = request.timeout(Duration.ofSeconds(30)).build();
      for (int attempt = 0; ; attempt++) {
        HttpResponse<String> a;
        try {
          a = client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
          // A pooled keep-alive connection the server closed (its idle timeout, on a machine
          // loaded enough to stall a client for 30 s) just as the request went out: no answer
          // at all. Retry on a fresh connection, a bounded number of times; a heartbeat repeated
          // answers as the first one did, so the counts stay exact.
          if (reconnects.incrementAndGet() > 100) {
            throw e;
          }
          continue;
        }
        Reply reply = new Reply(a.statusCode(), a.body());
        if (!reply.code().equals("overloaded") || attempt == 100) {
          return reply;
        }
        Thread.sleep(20);
      }
    }

    /** Posts {@code count} heartbeats from {@link #CLIENTS} threads; the count of answers per code. */
    Map<String, Long> flood(int count, IntFunction<String> body) throws Exception {
      Map<String, LongAdder> codes = new ConcurrentHashMap<>();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < CLIENTS; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          for (int i = first; i < count; i += CLIENTS) {
            String code = post("/v1/nodes/heartbeat", body.apply(i)).code();
            codes.computeIfAbsent(code, k -> new LongAdder()).increment();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      Map<String, Long> out = new ConcurrentHashMap<>();
      codes.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
