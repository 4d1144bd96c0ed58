package io.kascompute.testkit.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar of tasks done out of a total with the current rate, on stderr: redrawn in place
 * on a console (the cursor hidden meanwhile, every redraw kept shorter than the terminal so it
 * never wraps), printed as a line every few seconds otherwise.
 */
final class Progress implements AutoCloseable {
  /** Hides the cursor (ANSI / VT100). */
  static final String HIDE_CURSOR = "\u001b[?25l";
  /** Shows the cursor again. */
  static final String SHOW_CURSOR = "\u001b[?25h";
  /** The width assumed when neither {@code --width} nor {@code COLUMNS} gives one. */
  static final int DEFAULT_COLUMNS = 80;

  private final PrintStream out;
  private final long total;
  private final LongSupplier done;
  private final boolean console;
  private final int columns;
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;
  private long lastLine;

  Progress(PrintStream out, long total, LongSupplier done, boolean console, int columns) {
    this.out = out;
    this.total = total;
    this.done = done;
    this.console = console;
    this.columns = Math.max(20, columns);
    if (console) {
      out.print(HIDE_CURSOR);
    }
    this.thread = new Thread(this::loop, "kascompute-progress");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * The terminal width: {@code width} if positive, else the {@code COLUMNS} environment variable,
   * else {@link #DEFAULT_COLUMNS}.
   */
  static int columns(int width) {
    if (width > 0) {
      return width;
    }
    try {
      String c = System.getenv("COLUMNS");
      int n = c == null ? 0 : Integer.parseInt(c.strip());
      return n > 0 ? n : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
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

  /**
   * The current bar, e.g. {@code [#####-----] 1000/2000 tasks 500.0 tasks/s}, at most {@code
   * columns - 1} characters: the bar shrinks (and at last the rate goes) on a narrow terminal.
   */
  String line() {
    long d = Math.min(done.getAsLong(), total);
    double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    String counts = String.format(Locale.ROOT, " %d/%d tasks", d, total);
    String rate = String.format(Locale.ROOT, " %.1f tasks/s", d / seconds);
    int room = columns - 1;
    int bar = Math.min(40, room - counts.length() - rate.length() - 2);
    if (bar < 5) {
      rate = "";
      bar = Math.min(40, room - counts.length() - 2);
    }
    if (bar < 5) {
      return counts.strip().substring(0, Math.min(counts.strip().length(), room));
    }
    int filled = total == 0 ? bar : (int) (bar * d / total);
    return "[" + "#".repeat(filled) + "-".repeat(bar - filled) + "]" + counts + rate;
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
      out.print("\r" + line() + System.lineSeparator() + SHOW_CURSOR);
    } else {
      out.println(line());
    }
    out.flush();
  }
}
