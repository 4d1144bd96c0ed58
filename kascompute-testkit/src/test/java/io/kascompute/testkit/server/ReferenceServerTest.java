package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ReferenceServerTest {
  /** RFC 8032 section 7.1, test 1: a valid Ed25519 public key. */
  private static final String PUBLIC_KEY =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesV1PathsWithEnvelopes() throws Exception {
    try (ReferenceServer server = ReferenceServer.builder().port(0).build()) {
      int port = server.start();
      assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + port));
      HttpResponse<String> metrics = get(server.uri(), "/v1/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).startsWith("{\"status\":\"ok\",\"data\":{\"window_sec\":300,");
      HttpResponse<String> missing = get(server.uri(), "/v1/nope");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"code\":\"not_found\"");
      HttpResponse<String> unknownRun = get(server.uri(), "/v1/runs/run-x-1");
      assertThat(unknownRun.statusCode()).isEqualTo(404);
      assertThat(unknownRun.body()).contains("\"code\":\"unknown_run\"");
    }
  }

  @Test
  void theDagAdmissionPolicyDecidesWhatASubmitMayHold() throws Exception {
    // an empty node list: V1 admits it, the strict policy refuses it
    String empty = "{\"spec\":{\"name\":\"e\",\"nodes\":[],\"edges\":[]}}";
    try (ReferenceServer strict = ReferenceServer.builder().port(0).build();
        ReferenceServer v1 = ReferenceServer.builder().port(0)
            .dagAdmission(io.kascompute.dag.DagAdmission.v1()).build()) {
      strict.start();
      v1.start();
      HttpResponse<String> refused = post(strict.uri(), "/v1/dags/submit", empty);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body()).contains("\"code\":\"empty_dag\"");
      HttpResponse<String> admitted = post(v1.uri(), "/v1/dags/submit", empty);
      assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
      assertThat(admitted.body()).contains("\"tasks_total\":0");
    }
  }

  private HttpResponse<String> post(URI base, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void closeLetsTheRequestInFlightFinishAndRefusesNewOnes() throws Exception {
    ReferenceServer server = ReferenceServer.builder().port(0).build();
    server.start();
    URI base = server.uri();
    byte[] body = ("{\"node_id\":\"kc_node_01\",\"public_key_hex\":\"" + PUBLIC_KEY + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/nodes/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 10);
      out.flush();
      awaitTrue(() -> server.inFlightRequests() == 1);

      Thread closer = new Thread(server::close);
      closer.start();
      awaitTrue(server::closing);
      HttpResponse<String> refused = get(base, "/v1/metrics");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("\"code\":\"overloaded\"").contains("shutting down");
      assertThat(closer.isAlive()).as("close waits for the request in flight").isTrue();

      out.write(body, 10, body.length - 10);
      out.flush();
      String answer = readAnswer(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 200")
          .contains("{\"status\":\"ok\",\"data\":{\"accepted\":true,\"key_pinned\":false},\"error\":null,\"ts\":");
      closer.join(Duration.ofSeconds(10).toMillis());
      assertThat(closer.isAlive()).isFalse();
    }
    assertThatThrownBy(() -> get(base, "/v1/metrics")).isInstanceOf(IOException.class);
  }

  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      sb.append((char) c);
      if (sb.indexOf("\r\n\r\n") > 0) {
        String head = sb.toString();
        int i = head.toLowerCase().indexOf("content-length:");
        int len = Integer.parseInt(head.substring(i + 15, head.indexOf("\r\n", i)).trim());
        sb.append(new String(in.readNBytes(len), StandardCharsets.UTF_8));
        return sb.toString();
      }
    }
    return sb.toString();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within 10 s").isNegative();
      Thread.sleep(1);
    }
  }
}
