package io.kascompute.testkit.server;

import static io.kascompute.testkit.server.RawHttp.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.HeartbeatResponse;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-HTTP catalogue: each request below is answered with the V1 error envelope and its
 * stable code, with {@code Connection: close}, then the server closes; none reaches the handler.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class MalformedHttpTest {
  private static final String H = "Host: x\r\n";

  private final AtomicInteger handled = new AtomicInteger();
  private HttpBinding binding;
  private int port;

  @BeforeAll
  void start() throws Exception {
    binding = new HttpBinding((m, p, b, r) -> {
      handled.incrementAndGet();
      return CoordinatorResponse.json(200, Envelope.ok(new HeartbeatResponse(true), 1), java.util.OptionalInt.empty());
    }, ReferenceServer.builder().maxBodyBytes(1 << 20).headerTimeout(Duration.ofMillis(800))
        .bodyTimeout(Duration.ofMillis(800)).minBodyRate(1024).transportLimits(), Clock.systemUTC());
    port = binding.start("127.0.0.1", 0).getPort();
  }

  @AfterAll
  void stop() {
    binding.close();
  }

  static Stream<Arguments> catalogue() {
    String longHeader = "X-Long: " + "a".repeat(9000) + "\r\n";
    String manyHeaders = "X-H: 1\r\n".repeat(64);
    return Stream.of(
        c("malformed percent-escape", "GET /v1/runs/%zz HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("truncated percent-escape", "GET /v1/runs/ab%4 HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("raw control byte in the path", "GET /v1/runs/a\u0001b HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("raw DEL in the path", "GET /v1/runs/a\u007fb HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("raw byte that is not UTF-8", "GET /v1/runs/a\u00ffb HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("escapes that are not UTF-8", "GET /v1/runs/%C3%28 HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("fragment in the target", "GET /v1/metrics#top HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("character RFC 3986 forbids", "GET /v1/runs/a|b HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("relative target", "GET v1/metrics HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("non-numeric Content-Length", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: abc\r\n\r\n", 400, "malformed_request"),
        c("negative Content-Length", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400, "malformed_request"),
        c("signed Content-Length", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: +2\r\n\r\n{}", 400, "malformed_request"),
        c("duplicate Content-Length", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400, "malformed_request"),
        c("conflicting Content-Length list", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: 2, 3\r\n\r\n{}", 400, "malformed_request"),
        c("Content-Length with chunked", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, "malformed_request"),
        // RFC 9112 section 6.3: a final coding other than chunked leaves the length unknown: 400
        c("Transfer-Encoding gzip", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", 400, "malformed_request"),
        c("Transfer-Encoding chunked, gzip", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, "malformed_request"),
        // RFC 9112 section 6.1: a coding the server does not implement: 501
        c("Transfer-Encoding gzip, chunked", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, "unsupported_transfer_encoding"),
        c("Transfer-Encoding in HTTP/1.0", "POST /v1/nodes/heartbeat HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "malformed_request"),
        c("chunk size not hex", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "malformed_request"),
        c("chunk size overflowing", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400, "malformed_request"),
        c("chunks beyond the body limit", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
            + "80000\r\n" + "a".repeat(0x80000) + "\r\n80001\r\n" + "b".repeat(0x80001) + "\r\n0\r\n\r\n", 400, "body_too_large"),
        c("declared body beyond the limit", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Length: 1048577\r\n\r\n", 400, "body_too_large"),
        c("header section beyond the limit", "GET /v1/metrics HTTP/1.1\r\n" + H + longHeader + "\r\n", 431, "header_too_large"),
        c("more header fields than the limit", "GET /v1/metrics HTTP/1.1\r\n" + H + manyHeaders + "\r\n", 431, "header_too_large"),
        c("request line beyond the limit", "GET /v1/" + "a".repeat(9000) + " HTTP/1.1\r\n" + H + "\r\n", 414, "uri_too_long"),
        c("unknown method", "BREW /v1/metrics HTTP/1.1\r\n" + H + "\r\n", 501, "unsupported_method"),
        c("method no V1 endpoint takes", "PUT /v1/metrics HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n", 405, "method_not_allowed"),
        c("method with a non-token byte", "GE\u0001T /v1/metrics HTTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("HTTP/2.0 request line", "GET /v1/metrics HTTP/2.0\r\n" + H + "\r\n", 505, "http_version_not_supported"),
        c("not HTTP at all", "GET /v1/metrics FTP/1.1\r\n" + H + "\r\n", 400, "malformed_request"),
        c("HTTP/1.1 without Host", "GET /v1/metrics HTTP/1.1\r\n\r\n", 400, "malformed_request"),
        c("two Host headers", "GET /v1/metrics HTTP/1.1\r\n" + H + H + "\r\n", 400, "malformed_request"),
        c("content-encoded body", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}", 415, "unsupported_content_encoding"),
        c("unknown expectation", "POST /v1/nodes/heartbeat HTTP/1.1\r\n" + H + "Expect: 200-ok\r\nContent-Length: 2\r\n\r\n{}", 417, "expectation_failed"),
        c("header line without a colon", "GET /v1/metrics HTTP/1.1\r\n" + H + "NoColonHere\r\n\r\n", 400, "malformed_request"),
        c("space before the colon", "GET /v1/metrics HTTP/1.1\r\n" + H + "X-A : 1\r\n\r\n", 400, "malformed_request"),
        c("NUL in a header value", "GET /v1/metrics HTTP/1.1\r\n" + H + "X-A: a\u0000b\r\n\r\n", 400, "malformed_request"),
        c("a TLS ClientHello on the plain port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n", 400, "malformed_request"));
  }

  private static Arguments c(String name, String request, int status, String code) {
    return Arguments.of(name, request, status, code);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void isAnsweredWithTheEnvelopeAndItsCodeThenClosed(String name, String request, int status, String code)
      throws Exception {
    int before = handled.get();
    try (Socket s = RawHttp.connect(port)) {
      s.getOutputStream().write(ascii(request));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      RawHttp.Response r = RawHttp.read(in);
      assertThat(r.status()).as("%s: %s", name, r.text()).isEqualTo(status);
      assertThat(r.errorCode()).as(name).isEqualTo(code);
      assertThat(r.closes()).as(name).isTrue();
      if (status == 405) {
        assertThat(r.header("Allow")).isEqualTo("GET, POST");
      }
      assertThat(in.read()).as("%s: the server closes after the answer", name).isEqualTo(-1);
    }
    assertThat(handled.get()).as(name).isEqualTo(before);
  }

  @Test
  void aHeadThatStopsHalfwayIsAnswered408AtTheHeaderDeadline() throws Exception {
    try (Socket s = RawHttp.connect(port)) {
      s.getOutputStream().write(ascii("POST /v1/nodes/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Le"));
      long t0 = System.nanoTime();
      RawHttp.Response r = RawHttp.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.errorCode()).isEqualTo("request_timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
    }
  }

  @Test
  void aBodyThatNeverComesIsAnswered408AtTheBodyDeadline() throws Exception {
    try (Socket s = RawHttp.connect(port)) {
      s.getOutputStream().write(ascii("POST /v1/nodes/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a"));
      RawHttp.Response r = RawHttp.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.errorCode()).isEqualTo("request_timeout");
      assertThat(r.text()).contains("slower than 1024 bytes/s");
    }
  }

  @Test
  void aTrickledBodyBelowTheMinimumRateIsAnswered408() throws Exception {
    try (Socket s = RawHttp.connect(port)) {
      OutputStream out = s.getOutputStream();
      out.write(ascii("POST /v1/nodes/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
      // 100 bytes every 200 ms is 500 bytes/s, below the 1024 bytes/s minimum: refused within
      // 800 ms + (bytes received / 1024) s, well before the body is complete
      long t0 = System.nanoTime();
      s.setSoTimeout(200);
      RawHttp.Response r = null;
      while (r == null && System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
        out.write(new byte[100]);
        out.flush();
        try {
          r = RawHttp.read(s.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
          // not yet
        }
      }
      assertThat(r).isNotNull();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.errorCode()).isEqualTo("request_timeout");
    }
  }

  @Test
  void aChunkSizeLargerThanTheDataSentIsAnswered408AtTheBodyDeadline() throws Exception {
    try (Socket s = RawHttp.connect(port)) {
      s.getOutputStream().write(ascii("POST /v1/nodes/heartbeat HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n7fffffff\r\n{}"));
      RawHttp.Response r = RawHttp.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.errorCode()).isEqualTo("request_timeout");
    }
    assertThat(binding.budget.used()).isZero();
  }

  @Test
  void aConnectionThatSendsNothingIsAnswered408AtTheHeaderDeadline() throws Exception {
    try (Socket s = RawHttp.connect(port)) {
      RawHttp.Response r = RawHttp.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.errorCode()).isEqualTo("request_timeout");
    }
  }
}
