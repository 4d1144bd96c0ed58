package io.kascompute.testkit.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.PrintStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code -XX:+ExitOnOutOfMemoryError} semantics for the reference server's threads: an {@link
 * Error} (an {@link OutOfMemoryError} above all) that escapes a server thread does not leave a
 * half-alive process behind, it ends the JVM at once with exit status {@value #EXIT_STATUS} and
 * one line on standard error, so that a supervisor restarts it.
 *
 * <p>It covers the worker threads (their tasks catch {@code Error}, their uncaught-exception
 * handler halts), the scheduler (a periodic task's {@code Error} is otherwise kept in its future
 * and the task silently stops), and Netty's event loops: Netty catches and logs every throwable
 * that escapes a task or its selector loop, so a {@code java.util.logging} handler on the {@code
 * io.netty} logger halts when a logged throwable is an {@code Error}.
 */
final class FatalErrors {
  /** The exit status, the one the JVM's own {@code ExitOnOutOfMemoryError} uses. */
  static final int EXIT_STATUS = 3;

  /** Freed before the report is written, so that the report itself finds memory after an OOM. */
  private static volatile byte[] reserve = new byte[64 * 1024];

  /** Held so that the handler stays attached (the logging framework keeps loggers weakly). */
  private static final Logger NETTY_LOGGER = Logger.getLogger("io.netty");
  private static boolean nettyHookInstalled;

  private FatalErrors() {}

  /**
   * Routes Netty's logging to {@code java.util.logging} (where {@code System.Logger} goes too) and
   * halts the JVM on every {@code Error} Netty logs; call before any other Netty class is used.
   */
  static synchronized void installNettyHook() {
    if (nettyHookInstalled) {
      return;
    }
    nettyHookInstalled = true;
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    NETTY_LOGGER.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getThrown() instanceof Error e) {
          halt(Thread.currentThread(), e);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  /** Ends the JVM now: one line on standard error, then {@link Runtime#halt} without shutdown hooks. */
  static void halt(Thread thread, Throwable error) {
    reserve = null;
    try {
      PrintStream err = System.err;
      err.println("kascompute: fatal " + error.getClass().getName() + ": " + error.getMessage()
          + " in thread " + thread.getName() + "; exiting with status " + EXIT_STATUS);
      err.flush();
    } catch (Throwable ignored) {
      // nothing more can be reported; exit anyway
    } finally {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }

  /** Runs {@code task}; an {@link Error} it throws halts the JVM. */
  static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Error e) {
        halt(Thread.currentThread(), e);
      }
    };
  }

  /** Daemon threads named {@code prefix-N} whose uncaught {@code Error} halts the JVM. */
  static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return new DefaultThreadFactory(prefix, true) {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = super.newThread(r);
        t.setName(prefix + "-" + n.incrementAndGet());
        t.setUncaughtExceptionHandler(FatalErrors::uncaught);
        return t;
      }
    };
  }

  private static void uncaught(Thread t, Throwable e) {
    if (e instanceof Error) {
      halt(t, e);
    }
    System.getLogger(FatalErrors.class.getName())
        .log(System.Logger.Level.ERROR, "uncaught exception in thread " + t.getName(), e);
  }

  /** A one-thread scheduler whose tasks halt the JVM when they end with an {@code Error}. */
  static ScheduledExecutorService scheduler(String name) {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, threads(name)) {
      @Override
      protected void afterExecute(Runnable r, Throwable t) {
        super.afterExecute(r, t);
        if (t == null && r instanceof Future<?> f && f.isDone()) {
          try {
            f.get();
          } catch (ExecutionException e) {
            t = e.getCause();
          } catch (CancellationException e) {
            // cancelled on purpose
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (t instanceof Error e) {
          halt(Thread.currentThread(), e);
        }
      }
    };
    s.setRemoveOnCancelPolicy(true);
    return s;
  }
}
