package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.testkit.cli.KasComputeCli;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks of {@link HostileClientsTest} against {@code kascompute serve} itself, with its
 * defaults and the real coordinator, in a child JVM with a 512 MB heap.
 */
@Tag("slow")
class ServeUnderAttackTest {
  private static final int PER_KIND = 32;

  @Test
  @Timeout(240)
  void serveWithA512MbHeapSurvivesStalledConnectionsAndAFloodOfOneMebibyteBodies() throws Exception {
    try (ChildJvm child = ChildJvm.start(List.of("-Xmx512m"), KasComputeCli.class, "serve", "--port", "0")) {
      int port = Integer.parseInt(child.awaitLine(true, "listening on http://127\\.0\\.0\\.1:(\\d+) ", Duration.ofSeconds(30)));
      // a first request loads the coordinator's classes (over a second in a cold JVM): not timed
      RawHttp.exchange(port, RawHttp.ascii("GET /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n"));

      List<Socket> stalled = Attacks.stall(port, PER_KIND);
      CountDownLatch stop = new CountDownLatch(1);
      Attacks.trickle(Attacks.ofKind(stalled, PER_KIND, Attacks.Stall.OVER_LIMIT_TRICKLE), Duration.ofMillis(100), stop);
      try {
        Attacks.probe(port, Duration.ofSeconds(4), Duration.ofMillis(50)).keptAnswering();

        // 600 bodies of 1 MiB of blanks: the coordinator answers each 400 malformed_json, unless
        // the transport has no room for it (503 overloaded); none is reset while sending
        Attacks.FloodResult flood = Attacks.flood(port, 600, 1 << 20, "/v1/nodes/heartbeat", 400);
        assertThat(flood.other()).as("every client read an answer").isEmpty();
        assertThat(flood.ok() + flood.overloaded()).isEqualTo(600);

        Attacks.probe(port, Duration.ofSeconds(1), Duration.ofMillis(50)).keptAnswering();
      } finally {
        stop.countDown();
        Attacks.closeAll(stalled);
      }
      child.terminate();
      assertThat(child.awaitExit(Duration.ofSeconds(15))).isEqualTo(128 + 15);
      assertThat(child.stderr()).noneMatch(l -> l.contains("OutOfMemoryError")).contains("kascompute serve: stopped");
    }
  }
}
