package io.kascompute.testkit.server;

import io.kascompute.testkit.TestClassPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM started from the test class path, whose output lines are collected as they come. */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread errPump;

  private ChildJvm(Process process) {
    this.process = process;
    pump(process.getInputStream(), out);
    errPump = pump(process.getErrorStream(), err);
  }

  /** Starts {@code mainClass} with {@code jvmOptions} and {@code args} on this JVM's class path. */
  static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(TestClassPath.get());
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).start());
  }

  private static Thread pump(InputStream in, List<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "child-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for a line of standard output ({@code stderr} false) or error matching {@code regex}; returns its group 1 (or the line). */
  String awaitLine(boolean stderr, String regex, Duration within) throws InterruptedException {
    Pattern p = Pattern.compile(regex);
    List<String> lines = stderr ? err : out;
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = p.matcher(lines.get(seen));
          if (m.find()) {
            return m.groupCount() > 0 ? m.group(1) : lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no line matching " + regex + " within " + within
              + "; stdout " + out + ", stderr " + err);
        }
        lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** Waits for the process to end; returns its exit status. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the child JVM did not exit within " + within + "; stderr " + stderr());
    }
    return process.exitValue();
  }

  /** Sends SIGTERM (through the handle: {@link Process#destroy()} would also close our end of the pipes). */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Standard error so far; after {@link #awaitExit}, all of it. */
  List<String> stderr() throws InterruptedException {
    if (!process.isAlive()) {
      errPump.join(5_000);
    }
    synchronized (err) {
      return List.copyOf(err);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
