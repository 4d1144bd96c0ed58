package io.kascompute.testkit.server;

import static io.kascompute.testkit.server.RawHttp.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.testkit.cli.KasComputeCli;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fail fast instead of limping, in real child JVMs: an {@link Error} in any server thread ends the
 * process at once with status 3 and one line on standard error, and SIGTERM ends it within its
 * shutdown grace even while a worker is stuck.
 */
class ServerProcessTest {
  private static final List<String> SMALL_HEAP = List.of("-Xmx64m", "-XX:+UseSerialGC");

  @Test
  @Timeout(60)
  void anOutOfMemoryErrorInAWorkerEndsTheProcessWithStatus3AndOneLine() throws Exception {
    try (ChildJvm child = ChildJvm.start(SMALL_HEAP, ServerProcessMain.class, "serve", "10000")) {
      int port = Integer.parseInt(child.awaitLine(false, "^PORT (\\d+)$", Duration.ofSeconds(30)));
      int before = child.stderr().size();
      sendIgnoringTheAnswer(port, "POST /test/oom HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(FatalErrors.EXIT_STATUS);
      List<String> after = child.stderr().subList(before, child.stderr().size());
      assertThat(after).hasSize(1);
      assertThat(after.get(0)).startsWith("kascompute: fatal java.lang.OutOfMemoryError: ")
          .contains("in thread kascompute-worker-").endsWith("exiting with status 3");
    }
  }

  @Test
  @Timeout(60)
  void anErrorOnTheSchedulerEndsTheProcess() throws Exception {
    try (ChildJvm child = ChildJvm.start(SMALL_HEAP, ServerProcessMain.class, "scheduler-error", "10000")) {
      assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(FatalErrors.EXIT_STATUS);
      assertThat(child.stderr()).last().asString()
          .isEqualTo("kascompute: fatal java.lang.InternalError: test: an error on the scheduler"
              + " in thread kascompute-scheduler-1; exiting with status 3");
    }
  }

  @Test
  @Timeout(60)
  void anErrorOnAnEventLoopEndsTheProcess() throws Exception {
    try (ChildJvm child = ChildJvm.start(SMALL_HEAP, ServerProcessMain.class, "event-loop-error", "10000")) {
      assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(FatalErrors.EXIT_STATUS);
      assertThat(child.stderr()).last().asString()
          .startsWith("kascompute: fatal java.lang.InternalError: test: an error on an event loop in thread kascompute-io-")
          .endsWith("; exiting with status 3");
    }
  }

  @Test
  @Timeout(60)
  void sigtermEndsTheProcessWithinTheGraceEvenWithAStuckWorker() throws Exception {
    // close() waits for the stuck request until shortly before the grace ends, then abandons it
    // (workers are daemon threads, so they do not hold the JVM)
    try (ChildJvm child = ChildJvm.start(SMALL_HEAP, ServerProcessMain.class, "serve", "2000")) {
      int port = Integer.parseInt(child.awaitLine(false, "^PORT (\\d+)$", Duration.ofSeconds(30)));
      try (Socket stuck = RawHttp.connect(port)) {
        stuck.getOutputStream().write(ascii("POST /test/stuck HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
        child.awaitLine(false, "^STUCK$", Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        child.terminate();
        assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(128 + 15);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(3000));
        assertThat(child.stderr()).endsWith(
            "kascompute: 1 request(s) still running at the end of the shutdown grace were abandoned", "stopped");
      }
    }
  }

  @Test
  @Timeout(60)
  void sigtermHaltsTheProcessAtTheEndOfTheGraceWhenClosingHangs() throws Exception {
    try (ChildJvm child = ChildJvm.start(SMALL_HEAP, ServerProcessMain.class, "close-hangs", "1500")) {
      child.awaitLine(false, "^PORT (\\d+)$", Duration.ofSeconds(30));
      child.awaitLine(false, "^STUCK$", Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      child.terminate();
      assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1400), Duration.ofMillis(2500));
      assertThat(child.stderr()).last().asString()
          .isEqualTo("kascompute: shutdown grace of 1500 ms ran out while closing; exiting with status 1");
    }
  }

  @Test
  @Timeout(60)
  void sigtermEndsKascomputeServeWithinItsGrace() throws Exception {
    try (ChildJvm child = ChildJvm.start(SMALL_HEAP, KasComputeCli.class, "serve", "--port", "0",
        "--shutdown-grace", "3s")) {
      int port = Integer.parseInt(child.awaitLine(true, "listening on http://127\\.0\\.0\\.1:(\\d+) ", Duration.ofSeconds(30)));
      RawHttp.Response metrics = RawHttp.exchange(port, ascii("GET /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertThat(metrics.status()).isEqualTo(200);
      long t0 = System.nanoTime();
      child.terminate();
      assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(128 + 15);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(child.stderr()).contains("kascompute serve: stopped");
    }
  }

  private static void sendIgnoringTheAnswer(int port, String request) throws IOException {
    try (Socket s = RawHttp.connect(port)) {
      s.getOutputStream().write(ascii(request));
      s.getInputStream().read(); // the process ends: end of stream or a reset
    } catch (IOException e) {
      // the process died under the request, as it should
    }
  }
}
