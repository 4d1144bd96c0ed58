package io.kascompute.testkit.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.wire.Envelope;
import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds the JDK HTTP server to a {@link RequestHandler}: reads the body under a size limit,
 * answers with the handler's status and envelope, and answers overload and shutdown with 503.
 */
final class HttpBinding implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(HttpBinding.class.getName());
  private static final String CONTENT_TYPE = CoordinatorResponse.JSON;

  /** Set while the executor's rejection policy answers a request on the dispatcher thread. */
  private static final ThreadLocal<Boolean> REJECTED = ThreadLocal.withInitial(() -> false);

  private final RequestHandler handler;
  private final int maxBodyBytes;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;

  HttpBinding(RequestHandler handler, int maxBodyBytes, Clock clock) {
    this.handler = handler;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /** Runs {@code exchange} on the calling thread with the overload answer (503) forced. */
  static void runRejected(Runnable exchange) {
    REJECTED.set(true);
    try {
      exchange.run();
    } finally {
      REJECTED.set(false);
    }
  }

  /** From now on every new request is answered 503 {@code shutting_down}. */
  void beginClosing() {
    closing = true;
  }

  /** The number of requests being handled right now. */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public void handle(HttpExchange exchange) {
    inFlight.incrementAndGet();
    try (exchange) {
      if (REJECTED.get()) {
        sendError(exchange, ErrorCode.OVERLOADED, "the coordinator is overloaded; retry later", true);
        return;
      }
      if (closing) {
        sendError(exchange, ErrorCode.OVERLOADED, "the coordinator is shutting down", true);
        return;
      }
      String declared = exchange.getRequestHeaders().getFirst("Content-Length");
      if (declared != null && declaredTooLarge(declared)) {
        sendError(exchange, ErrorCode.BODY_TOO_LARGE, tooLargeMessage(), true);
        return;
      }
      byte[] body = readLimited(exchange.getRequestBody());
      if (body == null) {
        sendError(exchange, ErrorCode.BODY_TOO_LARGE, tooLargeMessage(), true);
        return;
      }
      String target = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      CoordinatorResponse reply = handler.handle(exchange.getRequestMethod(),
          query == null ? target : target + "?" + query, body,
          Optional.of(exchange.getRemoteAddress().getAddress().getHostAddress()));
      reply.retryAfterSeconds().ifPresent(
          s -> exchange.getResponseHeaders().set("Retry-After", Integer.toString(s)));
      send(exchange, reply.status(), reply.contentType(), reply.body(), false);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "connection failed while answering a request", e);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure while answering a request", e);
      trySendInternal(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private boolean declaredTooLarge(String declared) {
    try {
      return Long.parseLong(declared.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // the server itself refuses a malformed Content-Length before we get here
    }
  }

  private String tooLargeMessage() {
    return "request body exceeds " + maxBodyBytes + " bytes";
  }

  /** Reads the body, or returns null as soon as it grows past the limit (nothing more is buffered). */
  private byte[] readLimited(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes + 1, 8192));
    byte[] buf = new byte[8192];
    int total = 0;
    int n;
    while ((n = in.read(buf, 0, Math.min(buf.length, maxBodyBytes + 1 - total))) > 0) {
      total += n;
      if (total > maxBodyBytes) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private void sendError(HttpExchange exchange, ErrorCode code, String message, boolean close)
      throws IOException {
    send(exchange, code.httpStatus(), CONTENT_TYPE,
        Envelope.error(code, message, clock.instant().getEpochSecond()), close);
  }

  private static void send(
      HttpExchange exchange, int status, String contentType, byte[] body, boolean close)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (close) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void trySendInternal(HttpExchange exchange) {
    try {
      if (exchange.getResponseCode() == -1) {
        sendError(exchange, ErrorCode.INTERNAL, "internal coordinator failure", true);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "could not report an internal failure to the client", e);
    }
  }
}
