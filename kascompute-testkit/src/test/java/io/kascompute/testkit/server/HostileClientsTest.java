package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.HeartbeatResponse;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow and flooding clients against the transport (a fake handler answers at once). */
class HostileClientsTest {
  private static final int PER_KIND = 32;

  private HttpBinding binding;

  private int start(UnaryOperator<ReferenceServer.Builder> config) throws Exception {
    return start(config, () -> { });
  }

  /** A transport whose handler runs {@code work} before answering. */
  private int start(UnaryOperator<ReferenceServer.Builder> config, Runnable work) throws Exception {
    binding = new HttpBinding((m, p, b, r) -> {
      work.run();
      return CoordinatorResponse.json(200, Envelope.ok(new HeartbeatResponse(true), 1), java.util.OptionalInt.empty());
    }, config.apply(ReferenceServer.builder()).transportLimits(), Clock.systemUTC());
    return binding.start("127.0.0.1", 0).getPort();
  }

  @AfterEach
  void stop() {
    if (binding != null) {
      binding.close();
    }
  }

  @Test
  @Timeout(60)
  void thirtyTwoStalledConnectionsOfEachKindLeaveTheServerAnsweringProbes() throws Exception {
    int port = start(b -> b); // the serve defaults: 10 s header and body deadlines, 4 workers here
    List<Socket> stalled = Attacks.stall(port, PER_KIND);
    CountDownLatch stop = new CountDownLatch(1);
    Attacks.trickle(Attacks.ofKind(stalled, PER_KIND, Attacks.Stall.OVER_LIMIT_TRICKLE), Duration.ofMillis(100), stop);
    try {
      Attacks.probe(port, Duration.ofSeconds(4), Duration.ofMillis(50)).keptAnswering();
      assertThat(binding.workers.getActiveCount()).as("no stalled connection holds a worker").isZero();
      assertThat(binding.openConnections()).as("the stalled connections are still open")
          .isGreaterThanOrEqualTo(3 * PER_KIND);
    } finally {
      stop.countDown();
      Attacks.closeAll(stalled);
    }
  }

  @Test
  @Timeout(60)
  void everyStalledConnectionIsAnsweredAtItsDeadlineAndClosed() throws Exception {
    int port = start(b -> b.headerTimeout(Duration.ofSeconds(1)).bodyTimeout(Duration.ofSeconds(1))
        .minBodyRate(1024).closeLinger(Duration.ofMillis(500)));
    List<Socket> stalled = Attacks.stall(port, PER_KIND);
    CountDownLatch stop = new CountDownLatch(1);
    Attacks.trickle(Attacks.ofKind(stalled, PER_KIND, Attacks.Stall.OVER_LIMIT_TRICKLE), Duration.ofMillis(100), stop);
    try {
      for (Attacks.Stall kind : Attacks.Stall.values()) {
        for (Socket s : Attacks.ofKind(stalled, PER_KIND, kind)) {
          RawHttp.Response r = RawHttp.read(s.getInputStream());
          if (kind == Attacks.Stall.OVER_LIMIT_TRICKLE) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("body_too_large");
          } else {
            assertThat(r.status()).as(kind.name()).isEqualTo(408);
            assertThat(r.errorCode()).isEqualTo("request_timeout");
          }
          assertThat(r.closes()).isTrue();
          assertThat(s.getInputStream().read()).as("then end of stream").isEqualTo(-1);
        }
      }
      // the tricklers are too slow to be drained for long: the server drops them after the linger
      awaitTrue(() -> binding.openConnections() == 0, Duration.ofSeconds(10));
      assertThat(binding.budget.used()).isZero();
      assertThat(binding.inFlight()).isZero();
    } finally {
      stop.countDown();
      Attacks.closeAll(stalled);
    }
  }

  @Test
  @Timeout(180)
  void sixHundredSimultaneousOneMebibyteBodiesAreAnsweredOverloadedNeverReset() throws Exception {
    // The workers hold their requests until bodies have been refused for want of room and every
    // connection still open is an admitted request (or 60 s have passed): however fast or slow the
    // machine, the bodies beyond the 64 MiB budget meet a full one.
    int port = start(b -> b.threads(4), () -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((binding.overloadRefusals() == 0 || binding.openConnections() > binding.inFlight())
          && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    });
    Attacks.FloodResult result = Attacks.flood(port, 600, 1 << 20, "/v1/nodes/heartbeat", 200);
    assertThat(result.other()).as("every client read an answer").isEmpty();
    assertThat(result.ok() + result.overloaded()).isEqualTo(600);
    assertThat(result.overloaded()).as("64 MiB of buffered bodies cannot hold 600 MiB").isPositive();
    awaitTrue(() -> binding.budget.used() == 0 && binding.inFlight() == 0, Duration.ofSeconds(10));
    Attacks.probe(port, Duration.ofMillis(500), Duration.ofMillis(50)).keptAnswering();
  }

  @Test
  @Timeout(60)
  void connectionsBeyondTheLimitAreAnswered503AndTheRestWaitInTheAcceptQueue() throws Exception {
    // 16 more than 20 are refused with 503 (and linger), then accepting pauses
    int port = start(b -> b.maxConnections(20).closeLinger(Duration.ofSeconds(30)));
    List<Socket> held = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        held.add(RawHttp.connect(port));
      }
      awaitTrue(() -> binding.openConnections() == 20, Duration.ofSeconds(10));
      for (int i = 0; i < 16; i++) {
        try (Socket s = RawHttp.connect(port)) {
          RawHttp.Response r = RawHttp.read(s.getInputStream());
          assertThat(r.status()).isEqualTo(503);
          assertThat(r.errorCode()).isEqualTo("overloaded");
          assertThat(r.header("Retry-After")).isEqualTo("1");
        }
        // its close reaches the server before the next client comes: the count never hits the cap
        awaitTrue(() -> binding.openConnections() == 20, Duration.ofSeconds(10));
      }
      // hold 16 refused connections open: accepting pauses until fewer than 20 are open; a new
      // client waits in the accept queue, it is neither reset nor refused
      List<Socket> refused = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        refused.add(RawHttp.connect(port));
      }
      held.addAll(refused);
      awaitTrue(() -> binding.openConnections() == 36, Duration.ofSeconds(10));
      Socket waiting = RawHttp.connect(port); // completes in the kernel's accept queue
      held.add(waiting);
      waiting.getOutputStream().write(RawHttp.ascii("GET /v1/metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
      Thread.sleep(300);
      assertThat(binding.openConnections()).as("not accepted while at the cap").isEqualTo(36);
      Attacks.closeAll(held.subList(0, 20)); // 16 open: accepting resumes and the client is served
      RawHttp.Response r = RawHttp.read(waiting.getInputStream());
      assertThat(r.status()).isEqualTo(200);
    } finally {
      Attacks.closeAll(held);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within %s", within).isNegative();
      Thread.sleep(10);
    }
  }
}
