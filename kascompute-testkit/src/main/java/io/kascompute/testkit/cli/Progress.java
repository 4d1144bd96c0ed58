package io.kascompute.testkit.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar of tasks done out of a total with the current rate: redrawn in place with
 * carriage returns on a console, printed as a line every few seconds otherwise.
 */
final class Progress implements AutoCloseable {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final long total;
  private final LongSupplier done;
  private final boolean console;
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;
  private long lastLine;

  Progress(PrintStream out, long total, LongSupplier done, boolean console) {
    this.out = out;
    this.total = total;
    this.done = done;
    this.console = console;
    this.thread = new Thread(this::loop, "kascompute-progress");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop() {
    while (running) {
      long now = System.nanoTime();
      if (console) {
        out.print("\r" + line());
        out.flush();
      } else if (now - lastLine >= 2_000_000_000L) {
        out.println(line());
        lastLine = now;
      }
      try {
        Thread.sleep(console ? 150 : 250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The current bar, e.g. {@code [#####-----] 1000/2000 tasks  500.0 tasks/s}. */
  String line() {
    long d = Math.min(done.getAsLong(), total);
    int filled = total == 0 ? WIDTH : (int) (WIDTH * d / total);
    double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    return String.format(Locale.ROOT, "[%s%s] %d/%d tasks  %.1f tasks/s",
        "#".repeat(filled), "-".repeat(WIDTH - filled), d, total, d / seconds);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (console) {
      out.print("\r" + line() + System.lineSeparator());
    } else {
      out.println(line());
    }
    out.flush();
  }
}
