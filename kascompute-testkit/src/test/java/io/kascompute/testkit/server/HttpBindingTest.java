package io.kascompute.testkit.server;

import static io.kascompute.testkit.server.RawHttp.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.HeartbeatResponse;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpBindingTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_710_000_000), ZoneOffset.UTC);

  private HttpBinding binding;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private URI start(RequestHandler handler, UnaryOperator<ReferenceServer.Builder> config) throws Exception {
    binding = new HttpBinding(handler, config.apply(ReferenceServer.builder()).transportLimits(), CLOCK);
    return URI.create("http://127.0.0.1:" + binding.start("127.0.0.1", 0).getPort());
  }

  @AfterEach
  void stop() {
    if (binding != null) {
      binding.close();
    }
  }

  private static CoordinatorResponse ok() {
    return CoordinatorResponse.json(200, Envelope.ok(new HeartbeatResponse(true), 1), java.util.OptionalInt.empty());
  }

  @Test
  void passesMethodRawPathAndBodyAndAnswersJson() throws Exception {
    StringBuilder seen = new StringBuilder();
    URI base = start((m, p, b, remote) -> {
      seen.append(m).append(' ').append(p).append(' ').append(new String(b, StandardCharsets.UTF_8))
          .append(' ').append(remote.orElseThrow());
      return ok();
    }, b -> b.maxBodyBytes(1024));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/runs/a%2Fb/next?x=1"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"node_id\":\"n\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.headers().firstValue("Date")).contains("Sat, 09 Mar 2024 16:00:00 GMT");
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\",\"data\":{\"accepted\":true,\"key_pinned\":true},\"error\":null,\"ts\":1}");
    assertThat(seen.toString()).isEqualTo("POST /v1/runs/a%2Fb/next?x=1 {\"node_id\":\"n\"} 127.0.0.1");
  }

  @Test
  void decodesARawUtf8PathAsUtf8AndKeepsEscapes() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    URI base = start((m, p, b, r) -> {
      paths.add(p);
      return ok();
    }, b -> b);
    byte[] head = ascii("GET /v1/runs/");
    byte[] utf8 = "r\u00e9\u4e2d%C3%A9".getBytes(StandardCharsets.UTF_8);
    byte[] rest = ascii(" HTTP/1.1\r\nHost: x\r\n\r\n");
    byte[] request = new byte[head.length + utf8.length + rest.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(utf8, 0, request, head.length, utf8.length);
    System.arraycopy(rest, 0, request, head.length + utf8.length, rest.length);
    assertThat(RawHttp.exchange(base.getPort(), request).status()).isEqualTo(200);
    assertThat(paths).containsExactly("/v1/runs/r\u00e9\u4e2d%C3%A9");
  }

  @Test
  void refusesADeclaredOversizeBodyWithoutCallingTheHandler() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    URI base = start((m, p, b, r) -> {
      calls.incrementAndGet();
      return ok();
    }, b -> b.maxBodyBytes(100));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/nodes/heartbeat"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[101])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Connection")).contains("close");
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
    }, b -> b.maxBodyBytes(1000));
    HttpURLConnection c = (HttpURLConnection) base.resolve("/v1/nodes/heartbeat").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(256);
    try (OutputStream out = c.getOutputStream()) {
      out.write(new byte[5000]);
    }
    assertThat(c.getResponseCode()).isEqualTo(400);
    try (InputStream err = c.getErrorStream()) {
      assertThat(new String(err.readAllBytes(), StandardCharsets.UTF_8)).contains("\"body_too_large\"");
    }
    assertThat(calls).hasValue(0);
  }

  @Test
  void acceptsAChunkedBodyWithinTheLimit() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    URI base = start((m, p, b, r) -> {
      sizes.add(b.length);
      return ok();
    }, b -> b.maxBodyBytes(300_000));
    HttpURLConnection c = (HttpURLConnection) base.resolve("/v1/nodes/heartbeat").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(7000);
    try (OutputStream out = c.getOutputStream()) {
      out.write(new byte[300_000]);
    }
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(sizes).containsExactly(300_000);
    assertThat(binding.budget.used()).isZero();
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
    }, b -> b.threads(1).queueCapacity(1).retryAfter(java.time.Duration.ofSeconds(3)));
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/metrics")).GET().build();
    CompletableFuture<HttpResponse<String>> busy = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    // the single worker is busy; one more request fills the queue; the next one is refused
    try (Socket s = RawHttp.connect(base.getPort())) {
      s.getOutputStream().write(ascii("GET /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
      s.getOutputStream().flush();
      awaitQueued(1);
      RawHttp.Response refused = RawHttp.exchange(base.getPort(), ascii("GET /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.errorCode()).isEqualTo("overloaded");
      assertThat(refused.header("Retry-After")).isEqualTo("3");
      assertThat(refused.closes()).isTrue();
      release.countDown();
      assertThat(busy.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
    }
  }

  @Test
  void keepsTheConnectionAliveAndAnswersPipelinedRequestsInOrder() throws Exception {
    URI base = start((m, p, b, r) -> CoordinatorResponse.json(200, ascii("{\"path\":\"" + p + "\",\"n\":" + b.length + "}"), java.util.OptionalInt.empty()),
        b -> b);
    try (Socket s = RawHttp.connect(base.getPort())) {
      s.getOutputStream().write(ascii("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
          + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
          + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      assertThat(RawHttp.read(in).text()).isEqualTo("{\"path\":\"/a\",\"n\":3}");
      assertThat(RawHttp.read(in).text()).isEqualTo("{\"path\":\"/b\",\"n\":0}");
      RawHttp.Response third = RawHttp.read(in);
      assertThat(third.text()).isEqualTo("{\"path\":\"/c\",\"n\":2}");
      assertThat(third.closes()).isFalse();
      s.getOutputStream().write(ascii("GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      RawHttp.Response last = RawHttp.read(in);
      assertThat(last.text()).isEqualTo("{\"path\":\"/d\",\"n\":0}");
      assertThat(last.closes()).isTrue();
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void answers100ContinueBeforeReadingTheBody() throws Exception {
    URI base = start((m, p, b, r) -> ok(), b -> b);
    try (Socket s = RawHttp.connect(base.getPort())) {
      s.getOutputStream().write(ascii("POST /v1/nodes/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
          + "Expect: 100-continue\r\n\r\n"));
      InputStream in = s.getInputStream();
      assertThat(RawHttp.read(in).status()).isEqualTo(100);
      s.getOutputStream().write(ascii("{}"));
      assertThat(RawHttp.read(in).status()).isEqualTo(200);
    }
  }

  @Test
  void answersHeadWithoutABody() throws Exception {
    URI base = start((m, p, b, r) -> ok(), b -> b);
    try (Socket s = RawHttp.connect(base.getPort())) {
      s.getOutputStream().write(ascii("HEAD /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      assertThat(text).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("\r\nAllow: GET, POST\r\n")
          .endsWith("\r\n\r\n");
    }
  }

  @Test
  void anHttp10RequestIsAnsweredAndClosed() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    URI base = start((m, p, b, r) -> {
      sizes.add(b.length);
      return ok();
    }, b -> b);
    try (Socket s = RawHttp.connect(base.getPort())) {
      s.getOutputStream().write(ascii("POST /v1/nodes/heartbeat HTTP/1.0\r\n\r\n"));
      RawHttp.Response r = RawHttp.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.closes()).isTrue();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(sizes).containsExactly(0); // no length, no body (RFC 9112 section 6.3)
  }

  private void awaitQueued(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (binding.workers.getQueue().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(binding.workers.getQueue()).hasSize(n);
  }
}
