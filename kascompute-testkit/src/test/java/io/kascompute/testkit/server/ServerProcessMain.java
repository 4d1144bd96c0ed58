package io.kascompute.testkit.server;

import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference server in a child JVM, as {@code kascompute serve} runs it, with one fault a test
 * can trigger: {@code POST /test/oom} makes the worker allocate until the heap is exhausted, {@code
 * POST /test/stuck} blocks the worker forever (interrupts ignored), and the mode argument can throw
 * an {@link Error} on the scheduler or on an event loop, or make {@link ReferenceServer#close()}
 * hang. Prints {@code PORT n} when serving.
 *
 * <p>Arguments: {@code mode} ({@code serve}, {@code scheduler-error}, {@code event-loop-error},
 * {@code close-hangs}) and
 * the shutdown grace in milliseconds.
 */
public final class ServerProcessMain {
  private ServerProcessMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Duration grace = Duration.ofMillis(Long.parseLong(args[1]));
    ReferenceServer server = ReferenceServer.builder()
        .port(0)
        .shutdownGrace(grace)
        .handlerWrapper(coordinator -> (method, path, body, remote) -> switch (path) {
          case "/test/oom" -> allocateForever();
          case "/test/stuck" -> blockForever();
          default -> coordinator.handle(method, path, body, remote);
        })
        .build();
    int port = server.start();
    switch (mode) {
      case "scheduler-error" -> server.scheduler().schedule(() -> {
        throw new InternalError("test: an error on the scheduler");
      }, 200, TimeUnit.MILLISECONDS);
      // a task run by Netty itself (not one of ours, which are all guarded): Netty catches and logs it
      case "event-loop-error" -> server.binding().eventLoops().next().execute(() -> {
        throw new InternalError("test: an error on an event loop");
      });
      // close() is synchronized: holding the server's monitor makes closing hang
      case "close-hangs" -> {
        Thread holder = new Thread(() -> {
          synchronized (server) {
            blockForever();
          }
        }, "test-monitor-holder");
        holder.setDaemon(true);
        holder.start();
      }
      default -> {
        // serve until stopped
      }
    }
    server.runUntilJvmShutdown(() -> {
      System.out.println("PORT " + port);
      System.out.flush();
    }, () -> System.err.println("stopped"));
  }

  private static CoordinatorResponse allocateForever() {
    List<long[]> hold = new ArrayList<>();
    while (true) {
      hold.add(new long[128 * 1024]);
    }
  }

  private static CoordinatorResponse blockForever() {
    System.out.println("STUCK");
    System.out.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // a stuck worker: ignores interrupts
      }
    }
  }
}
