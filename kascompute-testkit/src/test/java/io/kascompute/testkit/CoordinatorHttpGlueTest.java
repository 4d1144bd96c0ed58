package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kascompute.dag.coordinator.Coordinator;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The wiring shown in {@link Coordinator}'s Javadoc, run on the JDK's HTTP server over loopback. */
class CoordinatorHttpGlueTest {

  @Test
  void jdkHttpServerWiringFromTheJavadocWorks() throws Exception {
    Coordinator coordinator = Coordinator.builder()
        .clock(Clock.fixed(Instant.ofEpochSecond(1_710_000_000), ZoneOffset.UTC)).build();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/", exchange -> {
      byte[] body = exchange.getRequestBody().readNBytes((1 << 20) + 1);
      CoordinatorResponse r = coordinator.handle(
          exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body);
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
      exchange.sendResponseHeaders(r.status(), r.body().length);
      exchange.getResponseBody().write(r.body());
      exchange.close();
    });
    server.start();
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String heartbeat = "{\"node_id\":\"kc_node_01\",\"public_key_hex\":\""
          + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\"}";
      HttpResponse<String> hb = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/nodes/heartbeat"))
          .timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.ofString(heartbeat)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(hb.statusCode()).isEqualTo(200);
      assertThat(hb.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(hb.body()).isEqualTo(
          "{\"status\":\"ok\",\"data\":{\"accepted\":true,\"key_pinned\":false},\"error\":null,\"ts\":1710000000}");
      HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/runs/run%2Dx"))
          .timeout(Duration.ofSeconds(5))
          .GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"code\":\"unknown_run\"").contains("run-x");
    } finally {
      server.stop(0);
    }
  }
}
