package io.kascompute.testkit.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference server's HTTP/1.1 transport: binds a {@link RequestHandler} to a socket on Netty.
 *
 * <p>Event-loop threads read and parse every request without blocking, under the deadlines and
 * bounds of {@link TransportLimits}; only a request whose whole body has arrived is handed to a
 * worker thread, which calls the handler. Everything the transport refuses by itself is answered
 * with a V1 error envelope ({@link TransportError}); overload is answered 503 {@code overloaded}
 * with {@code Retry-After}, never with a reset.
 */
final class HttpBinding implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpBinding.class.getName());
  private static final int ACCEPT_BACKLOG = 1024;
  private static final AttributeKey<Boolean> OVERFLOW = AttributeKey.valueOf("kascompute.overflow");

  static {
    FatalErrors.installNettyHook();
  }

  final RequestHandler handler;
  final TransportLimits limits;
  final Responses responses;
  final BodyBudget budget;
  final ThreadPoolExecutor workers;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong overloadRefusals = new AtomicLong();
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private EventLoopGroup loops;
  private Channel listener;
  private volatile boolean closing;
  private volatile boolean closed;

  HttpBinding(RequestHandler handler, TransportLimits limits, Clock clock) {
    this.handler = handler;
    this.limits = limits;
    this.responses = new Responses(clock);
    this.budget = new BodyBudget(limits.maxBufferedBodyBytes());
    this.workers = new ThreadPoolExecutor(limits.workerThreads(), limits.workerThreads(), 0,
        TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(limits.queueCapacity()),
        FatalErrors.threads("kascompute-worker"), new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Binds and starts serving.
   *
   * @return the bound address
   * @throws IOException if the address cannot be bound
   */
  synchronized InetSocketAddress start(String host, int port) throws IOException {
    if (loops != null) {
      throw new IllegalStateException("a transport starts once");
    }
    loops = new MultiThreadIoEventLoopGroup(limits.ioThreads(), FatalErrors.threads("kascompute-io"),
        NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(loops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
        // one accept per read, so that a pause at the connection cap takes effect before the next
        .option(ChannelOption.RECVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1))
        .handler(new AcceptCounter())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, new UnpooledByteBufAllocator(false))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            new HttpConnection(HttpBinding.this, ch.attr(OVERFLOW).get() == Boolean.TRUE)
                .install(ch.pipeline());
          }
        });
    ChannelFuture bound = b.bind(host, port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      close();
      Throwable cause = bound.cause();
      throw cause instanceof IOException io ? io
          : new IOException("cannot bind " + host + ":" + port, cause);
    }
    listener = bound.channel();
    return (InetSocketAddress) listener.localAddress();
  }

  /**
   * Counts every accepted connection on the listening channel's event loop, before the next accept:
   * marks the ones beyond the limit for a 503, and stops accepting at the cap.
   */
  private final class AcceptCounter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel ch = (Channel) msg;
      Channel parent = ctx.channel();
      int n = open.incrementAndGet();
      connections.add(ch);
      ch.attr(OVERFLOW).set(n > limits.maxConnections() || closed);
      ch.closeFuture().addListener(f -> {
        connections.remove(ch);
        open.decrementAndGet();
        resumeAcceptingIfBelowCap(parent);
      });
      if (n >= limits.maxConnections() + limits.overflowConnections()) {
        // Stop accepting: further clients wait in the kernel's accept queue instead of being reset.
        parent.config().setAutoRead(false);
        resumeAcceptingIfBelowCap(parent);
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Accepting resumes once the open connections are back under the limit, so that waiting clients are served. */
  private void resumeAcceptingIfBelowCap(Channel l) {
    if (!closed && !l.config().isAutoRead() && open.get() < limits.maxConnections()) {
      l.config().setAutoRead(true);
    }
  }

  /** True once {@link #beginClosing()} was called: new requests are answered 503. */
  boolean closing() {
    return closing;
  }

  /** From now on every new request is answered 503 {@code overloaded} (shutting down), and idle connections close. */
  void beginClosing() {
    closing = true;
    for (Channel c : connections) {
      HttpConnection h = c.pipeline().get(HttpConnection.class);
      if (h != null) {
        c.eventLoop().execute(FatalErrors.guard(h::closeIfIdle));
      }
    }
  }

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestEnded() {
    inFlight.decrementAndGet();
  }

  /** Requests admitted and not yet answered (body being read, waiting for or on a worker, answer being written). */
  int inFlight() {
    return inFlight.get();
  }

  /** The event loops (for tests in this package). */
  EventLoopGroup eventLoops() {
    return loops;
  }

  void refusedOverloaded() {
    overloadRefusals.incrementAndGet();
  }

  /** Requests and connections answered 503 {@code overloaded} since the start. */
  long overloadRefusals() {
    return overloadRefusals.get();
  }

  /** Open connections, served or being refused. */
  int openConnections() {
    return open.get();
  }

  /**
   * Waits until no request is in flight or {@code deadlineNanos} (a {@link System#nanoTime()}) passes.
   *
   * @return true if no request is in flight
   */
  boolean awaitIdle(long deadlineNanos) {
    try {
      while (inFlight.get() > 0 && System.nanoTime() - deadlineNanos < 0) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inFlight.get() == 0;
  }

  /** Closes the socket and every connection at once and stops the threads (a stuck worker is interrupted and left behind). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    if (listener != null) {
      listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    for (Channel c : connections) {
      c.close();
    }
    workers.shutdownNow();
    if (loops != null) {
      if (!loops.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "event loops did not stop within 2 s");
      }
    }
  }
}
