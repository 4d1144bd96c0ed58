package io.kascompute.testkit.server;

import java.time.Duration;

/**
 * Every bound and deadline of the HTTP transport (defaults and meaning in {@code
 * docs/spec/reference-server.md}, section 2).
 *
 * @param maxBodyBytes the largest request body
 * @param maxRequestLineBytes the longest request line (method, target, version)
 * @param maxHeaderBytes the largest header section (all field lines together)
 * @param maxHeaderCount the most header fields in one request
 * @param headerTimeout how long the request line and headers may take to arrive
 * @param bodyTimeout how long a body may take before the minimum rate applies
 * @param minBodyBytesPerSecond the rate a body must keep after {@code bodyTimeout}
 * @param idleTimeout how long a kept-alive connection may wait for its next request, and how
 *     long a response may take to be written
 * @param closeLinger how long unread input is drained after a final answer before the socket closes
 * @param maxConnections the most open connections that are served; beyond that, connections are
 *     answered 503 {@code overloaded}
 * @param maxBufferedBodyBytes the most request-body bytes held in memory at once, over all requests
 * @param ioThreads the event-loop threads that read, parse and write
 * @param workerThreads the threads that run the request handler
 * @param queueCapacity requests (fully read) that may wait for a worker
 * @param retryAfter the {@code Retry-After} sent with 503 {@code overloaded}
 */
record TransportLimits(int maxBodyBytes, int maxRequestLineBytes, int maxHeaderBytes,
    int maxHeaderCount, Duration headerTimeout, Duration bodyTimeout, int minBodyBytesPerSecond,
    Duration idleTimeout, Duration closeLinger, int maxConnections, long maxBufferedBodyBytes,
    int ioThreads, int workerThreads, int queueCapacity, Duration retryAfter) {

  /** Checks every bound; the builder of {@link ReferenceServer} reports the same conditions per option. */
  TransportLimits {
    if (maxBodyBytes < 1 || maxRequestLineBytes < 64 || maxHeaderBytes < 256 || maxHeaderCount < 1
        || minBodyBytesPerSecond < 1 || maxConnections < 1 || ioThreads < 1 || workerThreads < 1
        || queueCapacity < 1) {
      throw new IllegalArgumentException("transport bounds out of range: " + this);
    }
    if (maxBufferedBodyBytes < maxBodyBytes) {
      throw new IllegalArgumentException("the buffered-body budget (" + maxBufferedBodyBytes
          + " bytes) must hold at least one largest body (" + maxBodyBytes + " bytes)");
    }
    for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout, closeLinger, retryAfter}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("transport durations must be positive: " + this);
      }
    }
  }

  /** Connections beyond {@link #maxConnections} that are still answered 503 before accepting pauses. */
  int overflowConnections() {
    return Math.max(16, maxConnections / 4);
  }

  /** The {@code Retry-After} value in whole seconds (at least 1). */
  long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
