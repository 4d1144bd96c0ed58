package io.kascompute.testkit.server;

import io.kascompute.dag.coordinator.CoordinatorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's request cycle, on its event loop: read a head under the header deadline, check
 * it, read the body under the body deadline and the size and memory bounds, hand the whole request
 * to a worker, write the answer, then wait (idle) for the next request or close.
 *
 * <p>Nothing is read while a request is with a worker (auto-read is off and a gate in front of
 * the decoder holds back every read request), so a pipelining client cannot make the server
 * buffer more than what one socket read had already brought in. After a final answer ({@code
 * Connection: close}) the output side is shut and unread input is drained for a short linger, so
 * that the client reads the answer instead of a reset.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
  private static final byte[] EMPTY = new byte[0];
  /** A declared body is first given this much memory; the rest once this much has arrived. */
  private static final int FIRST_ALLOCATION = 64 * 1024;
  private static final String ALLOW = "GET, POST";
  private static final Set<String> OTHER_STANDARD_METHODS =
      Set.of("HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private enum State {
    /** Waiting for (the rest of) a request line and headers, under the header deadline. */
    HEAD,
    /** Kept alive after an answer, waiting for the first byte of the next request. */
    IDLE,
    /** Reading the body of an admitted request, under the body deadline. */
    BODY,
    /** The request is with a worker, or its answer is being written; nothing is read. */
    DISPATCHED,
    /** A final answer was written or is being written; input is drained and dropped. */
    CLOSING
  }

  private final HttpBinding server;
  private final TransportLimits limits;
  private final boolean overflow;
  private final Decoder decoder;
  private final Meter meter = new Meter();
  /** Messages decoded after the request was dispatched (pipelined), handled once it is answered. */
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private State state = State.HEAD;
  private ScheduledFuture<?> timer;
  private long phaseStart;

  // the request being read
  private String method;
  private String path;
  private boolean headRequest;
  private boolean keepAlive;
  private long declared;
  private byte[] body = EMPTY;
  private int size;
  private long reserved;
  private int headerFields;
  private boolean counted;
  // draining after a final answer
  private long drained;
  private long drainCap;

  HttpConnection(HttpBinding server, boolean overflow) {
    this.server = server;
    this.limits = server.limits;
    this.overflow = overflow;
    this.decoder = overflow ? null : new Decoder(new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxRequestLineBytes())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxChunkSize(16 * 1024)
        .setAllowDuplicateContentLengths(false)
        .setValidateHeaders(true));
  }

  /** Adds this connection's handlers to a new channel's pipeline. */
  void install(ChannelPipeline p) {
    p.addLast("meter", meter);
    if (decoder != null) {
      p.addLast("decoder", decoder);
    }
    p.addLast("http", this);
  }

  /** The request decoder, refusing (instead of silently resolving) Content-Length with chunked framing. */
  private static final class Decoder extends HttpRequestDecoder {
    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      throw new IllegalArgumentException("both Transfer-Encoding and Content-Length are present");
    }

    /** True if bytes of a next request are buffered but not yet a whole head. */
    boolean hasPartialInput() {
      return internalBuffer().isReadable();
    }
  }

  /**
   * Sees the raw bytes before the decoder: starts the header deadline at the first byte of a
   * kept-alive connection's next request, drops everything once a final answer is out, and holds
   * back read requests (the decoder's own among them) while the connection is paused.
   */
  private final class Meter extends ChannelDuplexHandler {
    private boolean paused;

    @Override
    public void read(ChannelHandlerContext meterCtx) {
      if (!paused) {
        meterCtx.read();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext meterCtx, Object msg) {
      if (state == State.CLOSING) {
        if (msg instanceof ByteBuf b) {
          drained += b.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        return;
      }
      if (state == State.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
        startHead();
      }
      meterCtx.fireChannelRead(msg);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (overflow) {
      // the request is not read: whatever body it has (up to the limit) may be drained
      refuse(TransportError.OVERLOADED, "the server has too many open connections; retry later",
          limits.maxBodyBytes());
      return;
    }
    phaseStart = System.nanoTime();
    arm(limits.headerTimeout().toNanos(), this::headTimedOut);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.DISPATCHED) {
      pending.add(msg);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    try {
      switch (state) {
        case HEAD, IDLE -> {
          if (msg instanceof HttpRequest r) {
            onHead(r);
          }
          if (msg instanceof HttpContent c && state == State.BODY) {
            onContent(c);
          }
        }
        case BODY -> {
          if (msg instanceof HttpContent c) {
            onContent(c);
          }
        }
        default -> {
          // CLOSING drops everything
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the head
  // ---------------------------------------------------------------------------------------------

  private void startHead() {
    state = State.HEAD;
    phaseStart = System.nanoTime();
    arm(limits.headerTimeout().toNanos(), this::headTimedOut);
  }

  private void onHead(HttpRequest r) {
    cancelTimer();
    state = State.HEAD;
    declared = 0;
    DecoderResult result = r.decoderResult();
    if (result.isFailure()) {
      refuseUnreadable(result.cause());
      return;
    }
    HttpVersion version = r.protocolVersion();
    if (!"HTTP".equals(version.protocolName()) || version.majorVersion() != 1
        || version.minorVersion() > 1) {
      refuse(TransportError.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.1 and HTTP/1.0 are served");
      return;
    }
    boolean http11 = version.minorVersion() == 1;
    HttpHeaders h = r.headers();
    headerFields = h.size();
    if (headerFields > limits.maxHeaderCount()) {
      refuse(TransportError.HEADER_TOO_LARGE, "more than " + limits.maxHeaderCount() + " header fields");
      return;
    }
    method = r.method().name();
    headRequest = method.equals("HEAD");
    int hosts = h.getAll(HttpHeaderNames.HOST).size();
    if (hosts > 1 || (http11 && hosts == 0)) {
      refuse(TransportError.MALFORMED_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
      return;
    }
    if (!method.equals("GET") && !method.equals("POST")) {
      if (OTHER_STANDARD_METHODS.contains(method)) {
        refuse(TransportError.METHOD_NOT_ALLOWED, "V1 endpoints take GET and POST only");
      } else {
        refuse(TransportError.UNSUPPORTED_METHOD, "unknown HTTP method");
      }
      return;
    }
    try {
      path = RequestTarget.path(r.uri());
    } catch (RequestTarget.MalformedTargetException e) {
      refuse(TransportError.MALFORMED_REQUEST, e.getMessage());
      return;
    }
    if (!checkFraming(h, http11) || !checkCodingsAndExpectation(h)) {
      return;
    }
    keepAlive = http11 && !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    if (server.closing()) {
      refuse(TransportError.OVERLOADED, "the coordinator is shutting down");
      return;
    }
    if (server.workers.getQueue().remainingCapacity() == 0) {
      refuse(TransportError.OVERLOADED, "every worker is busy and the queue is full; retry later");
      return;
    }
    if (declared > limits.maxBodyBytes()) {
      refuse(TransportError.BODY_TOO_LARGE, "request body exceeds " + limits.maxBodyBytes() + " bytes");
      return;
    }
    if (declared > server.budget.available()) {
      refuse(TransportError.OVERLOADED, "too many request bodies in memory; retry later");
      return;
    }
    if (declared != 0 && h.contains(HttpHeaderNames.EXPECT)) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Responses.continueResponse()));
    }
    counted = true;
    server.requestStarted();
    state = State.BODY;
    size = 0;
    body = EMPTY;
    phaseStart = System.nanoTime();
    arm(limits.bodyTimeout().toNanos(), this::checkBodyRate);
  }

  /** Checks Content-Length and Transfer-Encoding and sets {@link #declared} (-1: chunked). */
  private boolean checkFraming(HttpHeaders h, boolean http11) {
    List<String> lengths = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
    List<String> codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      if (!http11) {
        refuse(TransportError.MALFORMED_REQUEST, "Transfer-Encoding is not allowed in HTTP/1.0");
        return false;
      }
      if (!lengths.isEmpty()) {
        refuse(TransportError.MALFORMED_REQUEST, "both Transfer-Encoding and Content-Length are present");
        return false;
      }
      List<String> list = Arrays.stream(String.join(",", codings).split(",", -1))
          .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
      if (list.isEmpty()) {
        refuse(TransportError.MALFORMED_REQUEST, "empty Transfer-Encoding");
        return false;
      }
      if (!list.equals(List.of("chunked"))) {
        refuse(TransportError.UNSUPPORTED_TRANSFER_ENCODING, "only Transfer-Encoding: chunked is supported");
        return false;
      }
      declared = -1;
      return true;
    }
    if (lengths.size() > 1) {
      refuse(TransportError.MALFORMED_REQUEST, "more than one Content-Length");
      return false;
    }
    if (lengths.isEmpty()) {
      declared = 0; // RFC 9112 section 6.3: a request without either has no body
      return true;
    }
    String v = lengths.get(0).trim();
    if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      refuse(TransportError.MALFORMED_REQUEST, "Content-Length is not a decimal number");
      return false;
    }
    declared = Long.parseLong(v);
    return true;
  }

  private boolean checkCodingsAndExpectation(HttpHeaders h) {
    for (String v : h.getAll(HttpHeaderNames.CONTENT_ENCODING)) {
      for (String coding : v.split(",", -1)) {
        if (!coding.trim().equalsIgnoreCase("identity")) {
          refuse(TransportError.UNSUPPORTED_CONTENT_ENCODING, "request bodies must not be content-encoded");
          return false;
        }
      }
    }
    List<String> expect = h.getAll(HttpHeaderNames.EXPECT);
    if (!expect.isEmpty() && (expect.size() > 1 || !expect.get(0).trim().equalsIgnoreCase("100-continue"))) {
      refuse(TransportError.EXPECTATION_FAILED, "only Expect: 100-continue is supported");
      return false;
    }
    return true;
  }

  /** Answers a head or chunk the decoder could not read. */
  private void refuseUnreadable(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      refuse(TransportError.URI_TOO_LONG, "the request line is longer than " + limits.maxRequestLineBytes() + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(TransportError.HEADER_TOO_LARGE, "the headers are larger than " + limits.maxHeaderBytes() + " bytes");
    } else if (cause instanceof PrematureChannelClosureException) {
      ctx.close(); // the client is gone; nobody to answer
    } else {
      String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      if (detail.length() > 120) {
        detail = detail.substring(0, 120) + "...";
      }
      refuse(TransportError.MALFORMED_REQUEST, "malformed HTTP request: " + detail);
    }
  }

  private void headTimedOut() {
    refuse(TransportError.REQUEST_TIMEOUT, "the request line and headers did not arrive within "
        + limits.headerTimeout().toMillis() + " ms");
  }

  // ---------------------------------------------------------------------------------------------
  // the body
  // ---------------------------------------------------------------------------------------------

  private void onContent(HttpContent c) {
    DecoderResult result = c.decoderResult();
    if (result.isFailure()) {
      refuseUnreadable(result.cause());
      return;
    }
    ByteBuf data = c.content();
    int n = data.readableBytes();
    if (n > 0) {
      long total = (long) size + n;
      if (total > limits.maxBodyBytes()) {
        refuse(TransportError.BODY_TOO_LARGE, "request body exceeds " + limits.maxBodyBytes() + " bytes");
        return;
      }
      if (!ensureCapacity((int) total)) {
        refuse(TransportError.OVERLOADED, "too many request bodies in memory; retry later");
        return;
      }
      data.readBytes(body, size, n);
      size = (int) total;
    }
    if (c instanceof LastHttpContent last) {
      if (headerFields + last.trailingHeaders().size() > limits.maxHeaderCount()) {
        refuse(TransportError.HEADER_TOO_LARGE, "more than " + limits.maxHeaderCount() + " header fields");
        return;
      }
      cancelTimer();
      dispatch();
    }
  }

  /** Grows the body buffer to hold {@code needed} bytes, taking the growth from the budget. */
  private boolean ensureCapacity(int needed) {
    if (needed <= body.length) {
      return true;
    }
    long target;
    if (declared >= 0) {
      target = needed <= FIRST_ALLOCATION ? Math.min(declared, FIRST_ALLOCATION) : declared;
    } else {
      target = Math.min(limits.maxBodyBytes(),
          Math.max(needed, Math.max(FIRST_ALLOCATION, 2L * body.length)));
    }
    long growth = target - body.length;
    if (!server.budget.tryReserve(growth)) {
      return false;
    }
    reserved += growth;
    body = Arrays.copyOf(body, (int) target);
    return true;
  }

  private void checkBodyRate() {
    long allowed = limits.bodyTimeout().toNanos()
        + (long) size * 1_000_000_000L / limits.minBodyBytesPerSecond();
    long elapsed = System.nanoTime() - phaseStart;
    if (elapsed >= allowed) {
      refuse(TransportError.REQUEST_TIMEOUT, "the request body arrived slower than "
          + limits.minBodyBytesPerSecond() + " bytes/s after " + limits.bodyTimeout().toMillis() + " ms");
    } else {
      arm(allowed - elapsed, this::checkBodyRate);
    }
  }

  private void releaseBody() {
    server.budget.release(reserved);
    reserved = 0;
    body = EMPTY;
    size = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // the worker and the answer
  // ---------------------------------------------------------------------------------------------

  private void dispatch() {
    state = State.DISPATCHED;
    pause(true);
    byte[] bytes = size == body.length ? body : Arrays.copyOf(body, size);
    long held = reserved;
    reserved = 0;
    body = EMPTY;
    size = 0;
    String m = method;
    String p = path;
    Optional<String> remote = Optional.of(remoteAddress());
    try {
      server.workers.execute(() -> work(m, p, bytes, remote, held));
    } catch (RejectedExecutionException e) {
      server.budget.release(held);
      refuse(TransportError.OVERLOADED, server.closing() ? "the coordinator is shutting down"
          : "every worker is busy and the queue is full; retry later");
    }
  }

  /** On a worker thread: runs the handler and passes its answer back to the event loop. */
  private void work(String m, String p, byte[] bytes, Optional<String> remote, long held) {
    CoordinatorResponse reply;
    try {
      reply = server.handler.handle(m, p, bytes, remote);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure while answering " + m + " " + p, e);
      reply = CoordinatorResponse.json(TransportError.INTERNAL.httpStatus(),
          server.responses.envelope(TransportError.INTERNAL, "internal coordinator failure; nothing was applied"),
          OptionalInt.empty());
    } catch (Error e) {
      FatalErrors.halt(Thread.currentThread(), e);
      return;
    } finally {
      server.budget.release(held);
    }
    CoordinatorResponse answer = reply;
    try {
      ctx.executor().execute(FatalErrors.guard(() -> answer(answer)));
    } catch (RejectedExecutionException e) {
      server.requestEnded(); // the event loops are stopping: the connection is being closed anyway
    }
  }

  private void answer(CoordinatorResponse reply) {
    if (state != State.DISPATCHED || !ctx.channel().isActive()) {
      endRequest();
      return;
    }
    boolean close = !keepAlive || server.closing();
    byte[] bytes = server.responses.response(reply.status(), reply.contentType(), reply.body(), close,
        reply.retryAfterSeconds().orElse(-1), null, !headRequest);
    if (close) {
      finalAnswer(bytes, 0);
      return;
    }
    arm(limits.idleTimeout().toNanos(), ctx::close);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
      endRequest();
      if (!f.isSuccess()) {
        ctx.close();
      } else if (state == State.DISPATCHED) {
        nextRequest();
      }
    });
  }

  private void nextRequest() {
    method = null;
    path = null;
    headRequest = false;
    if (server.closing()) {
      ctx.close();
      return;
    }
    state = State.IDLE;
    if (decoder.hasPartialInput()) {
      startHead();
    } else {
      arm(limits.idleTimeout().toNanos(), ctx::close);
    }
    while (!pending.isEmpty() && state != State.DISPATCHED && state != State.CLOSING) {
      handle(pending.poll());
    }
    if (state != State.DISPATCHED) {
      pause(false);
    }
  }

  /** Stops (or resumes) reading from the socket. */
  private void pause(boolean paused) {
    meter.paused = paused;
    ctx.channel().config().setAutoRead(!paused);
  }

  private void releasePending() {
    Object m;
    while ((m = pending.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  /** Closes a connection that waits for its next request (at shutdown); runs on the event loop. */
  void closeIfIdle() {
    if (state == State.IDLE) {
      ctx.close();
    }
  }

  /** Answers with a transport error and closes: every refusal ends the connection. */
  private void refuse(TransportError error, String message) {
    refuse(error, message, declared < 0 ? limits.maxBodyBytes() : Math.max(0, declared - size));
  }

  private void refuse(TransportError error, String message, long unread) {
    long retryAfter = -1;
    if (error == TransportError.OVERLOADED) {
      retryAfter = limits.retryAfterSeconds();
      server.refusedOverloaded();
    }
    String allow = error == TransportError.METHOD_NOT_ALLOWED ? ALLOW : null;
    byte[] bytes = server.responses.response(error.httpStatus(), CoordinatorResponse.JSON,
        server.responses.envelope(error, message), true, retryAfter, allow, !headRequest);
    releaseBody();
    endRequest();
    finalAnswer(bytes, unread);
  }

  /**
   * Writes a last answer, shuts the output, and drains input until the client closes or the
   * drain falls behind: it may take the close linger, plus the time the rest of the declared body
   * (at most the body limit) takes at the minimum body rate while it keeps arriving at that rate.
   */
  private void finalAnswer(byte[] bytes, long unreadBodyBytes) {
    state = State.CLOSING;
    releasePending();
    phaseStart = System.nanoTime();
    drained = 0;
    drainCap = Math.min(unreadBodyBytes, limits.maxBodyBytes());
    checkDrain();
    ChannelFuture written = ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    written.addListener(f -> {
      endRequest();
      if (!f.isSuccess() || !(ctx.channel() instanceof SocketChannel sc)) {
        ctx.close();
        return;
      }
      sc.shutdownOutput().addListener(s -> {
        if (s.isSuccess()) {
          pause(false); // drain: the meter drops what arrives
        } else {
          ctx.close();
        }
      });
    });
  }

  private void checkDrain() {
    long allowed = limits.closeLinger().toNanos()
        + Math.min(drained, drainCap) * 1_000_000_000L / limits.minBodyBytesPerSecond();
    long elapsed = System.nanoTime() - phaseStart;
    if (elapsed >= allowed) {
      ctx.close();
    } else {
      arm(allowed - elapsed, this::checkDrain);
    }
  }

  private void endRequest() {
    if (counted) {
      counted = false;
      server.requestEnded();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    releasePending();
    if (state != State.DISPATCHED) {
      releaseBody();
      endRequest();
    }
    state = State.CLOSING;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Error e) {
      FatalErrors.halt(Thread.currentThread(), e);
    }
    if (cause instanceof IOException) {
      LOG.log(Level.DEBUG, "connection failed", cause);
      ctx.close();
      return;
    }
    if (state == State.CLOSING || state == State.DISPATCHED) {
      LOG.log(Level.DEBUG, "failure on a connection that is closing or busy", cause);
      ctx.close();
    } else if (cause instanceof DecoderException) {
      refuseUnreadable(cause.getCause() == null ? cause : cause.getCause());
    } else {
      LOG.log(Level.ERROR, "unexpected failure in the HTTP transport", cause);
      refuse(TransportError.INTERNAL, "internal transport failure");
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void arm(long delayNanos, Runnable task) {
    cancelTimer();
    timer = ctx.executor().schedule(FatalErrors.guard(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private String remoteAddress() {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() : "";
  }
}
