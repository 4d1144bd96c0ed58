package io.kascompute.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kascompute.dag.coordinator.Coordinator;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@code http-load.sh}: the coordinator behind the JDK's {@code HttpServer}, wired
 * as the reference server was before it moved to Netty (a fixed pool of max(4, 2 x cores) workers
 * with a 256-request queue, TCP_NODELAY, the body read under the 1 MiB limit).
 *
 * <p>Run: {@code java -cp kascompute-bench/target/benchmarks.jar io.kascompute.bench.JdkHttpBaseline PORT}.
 */
public final class JdkHttpBaseline {
  private static final int MAX_BODY = 1 << 20;

  private JdkHttpBaseline() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.parseInt(args[0]);
    Coordinator coordinator = Coordinator.builder().maxBodyBytes(MAX_BODY).build();
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256));
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    http.createContext("/", exchange -> handle(coordinator, exchange));
    http.setExecutor(workers);
    http.start();
    System.err.println("jdk baseline listening on http://127.0.0.1:" + port);
    new CountDownLatch(1).await();
  }

  private static void handle(Coordinator coordinator, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      CoordinatorResponse reply = body.length > MAX_BODY
          ? CoordinatorResponse.json(400, new byte[0], OptionalInt.empty())
          : coordinator.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body,
              Optional.of(exchange.getRemoteAddress().getAddress().getHostAddress()));
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }
}
