package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.HeartbeatResponse;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpBindingTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_710_000_000), ZoneOffset.UTC);

  private HttpServer server;
  private ThreadPoolExecutor workers;
  private final HttpClient http = HttpClient.newHttpClient();

  private URI start(RequestHandler handler, int maxBody, int threads, int queue) throws Exception {
    HttpBinding binding = new HttpBinding(handler, maxBody, CLOCK);
    workers = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue), (r, pool) -> HttpBinding.runRejected(r));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", binding);
    server.setExecutor(workers);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
      workers.shutdownNow();
    }
  }

  private static CoordinatorResponse ok() {
    return CoordinatorResponse.json(200, Envelope.ok(new HeartbeatResponse(true), 1),
        java.util.OptionalInt.empty());
  }

  @Test
  void passesMethodRawPathAndBodyAndAnswersJson() throws Exception {
    StringBuilder seen = new StringBuilder();
    URI base = start((m, p, b, remote) -> {
      seen.append(m).append(' ').append(p).append(' ').append(new String(b, StandardCharsets.UTF_8))
          .append(' ').append(remote.orElseThrow());
      return ok();
    }, 1024, 2, 4);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/runs/a%2Fb/next"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"node_id\":\"n\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\",\"data\":{\"accepted\":true,\"key_pinned\":true},\"error\":null,\"ts\":1}");
    assertThat(seen.toString()).isEqualTo("POST /v1/runs/a%2Fb/next {\"node_id\":\"n\"} 127.0.0.1");
  }

  @Test
  void refusesADeclaredOversizeBodyWithoutCallingTheHandler() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    URI base = start((m, p, b, r) -> {
      calls.incrementAndGet();
      return ok();
    }, 100, 2, 4);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/nodes/heartbeat"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[101])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"data\":null,\"error\":{\"code\":\"body_too_large\","
        + "\"message\":\"request body exceeds 100 bytes\"},\"ts\":1710000000}");
    assertThat(calls).hasValue(0);
  }

  @Test
  void stopsReadingAChunkedBodyAtTheLimit() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    URI base = start((m, p, b, r) -> {
      calls.incrementAndGet();
      return ok();
    }, 1000, 2, 4);
    HttpURLConnection c = (HttpURLConnection) base.resolve("/v1/nodes/heartbeat").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(256);
    try (OutputStream out = c.getOutputStream()) {
      out.write(new byte[5000]);
    } catch (java.io.IOException e) {
      // the server may close the connection before the whole body is sent
    }
    assertThat(c.getResponseCode()).isEqualTo(400);
    try (InputStream err = c.getErrorStream()) {
      assertThat(new String(err.readAllBytes(), StandardCharsets.UTF_8)).contains("\"body_too_large\"");
    }
    assertThat(calls).hasValue(0);
  }

  @Test
  void answersOverloadWith503WhenWorkersAndQueueAreFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    URI base = start((m, p, b, r) -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ok();
    }, 1024, 1, 1);
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/metrics")).GET().build();
    CompletableFuture<HttpResponse<String>> busy = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    entered.await();
    // the single worker is busy; one more request fills the queue; the next one is refused
    CompletableFuture<HttpResponse<String>> queued;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
      s.getOutputStream().write("GET /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      waitForQueued(1);
      queued = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> refused = queued.get(10, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("\"code\":\"overloaded\"");
      release.countDown();
      assertThat(busy.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  private void waitForQueued(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (workers.getQueue().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(workers.getQueue()).hasSize(n);
  }
}
