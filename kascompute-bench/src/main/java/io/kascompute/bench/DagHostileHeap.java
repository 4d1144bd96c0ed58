package io.kascompute.bench;

import io.kascompute.core.KasComputeException;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;

/**
 * Reads hostile submits at the bounds of {@link DagLimits#DEFAULT} and reports the outcome and
 * the peak heap of each (the sum of the heap pools' peaks, an upper bound): run it on the heap a
 * coordinator gets, {@code java -Xmx512m -XX:+UseSerialGC -cp benchmarks.jar
 * io.kascompute.bench.DagHostileHeap}, or smaller to find what each case needs. Every document is
 * just under the document bound; each case aims at one other bound.
 */
public final class DagHostileHeap {
  private static final int DOCUMENT = DagLimits.DEFAULT.maxSpecBytes() - 1024;

  private DagHostileHeap() {}

  /** Runs every case and prints one line each. */
  public static void main(String[] args) {
    run("params that grow fivefold in canonical form (1e20)", paramsDocument("1e20,", 1));
    run("the same spread over many tasks, under the canonical bound", paramsDocument("1e20,", 400));
    run("one params string as long as the document allows", stringDocument());
    run("repeated array edges between two tasks", edgeDocument(false));
    run("array edges between distinct unknown ids", edgeDocument(true));
    run("as many tiny tasks as fit, each after the one before", tinyTasksDocument());
    run("one params object with millions of members", membersDocument());
  }

  private static void run(String what, byte[] doc) {
    long base = used();
    resetPeaks();
    long t0 = System.nanoTime();
    String outcome;
    try {
      ComputeDag dag = ComputeDag.fromSubmitBody(doc, DagLimits.DEFAULT);
      outcome = "accepted, " + dag.taskCount() + " tasks, " + dag.edgeCount() + " edges";
    } catch (KasComputeException e) {
      outcome = "refused " + e.code().wireName();
    } catch (OutOfMemoryError e) {
      outcome = "OUT OF MEMORY";
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("%-62s %8.1f MB document, peak heap above it %6.1f MB, %5d ms: %s%n",
        what, doc.length / 1e6, (peak() - base) / 1e6, ms, outcome);
  }

  private static byte[] paramsDocument(String element, int tasks) {
    StringBuilder b = new StringBuilder(DOCUMENT + 64).append("{\"spec\":{\"name\":\"p\",\"nodes\":[");
    int per = (DOCUMENT - 100 - tasks * 60) / tasks / element.length();
    for (int t = 0; t < tasks; t++) {
      b.append(t == 0 ? "" : ",").append("{\"task_id\":\"t").append(t)
          .append("\",\"work_units\":1,\"params\":[");
      for (int k = 0; k < per; k++) {
        b.append(element);
      }
      b.append("0]}");
    }
    return b.append("],\"edges\":[]}}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] stringDocument() {
    StringBuilder b = new StringBuilder(DOCUMENT + 64)
        .append("{\"spec\":{\"name\":\"s\",\"nodes\":[{\"task_id\":\"t\",\"work_units\":1,\"params\":\"");
    while (b.length() < DOCUMENT - 64) {
      b.append("abcdefghijklmnopqrstuvwxyz012345");
    }
    return b.append("\"}],\"edges\":[]}}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] edgeDocument(boolean distinct) {
    StringBuilder b = new StringBuilder(DOCUMENT + 64).append(
        "{\"spec\":{\"name\":\"e\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1},"
            + "{\"task_id\":\"b\",\"work_units\":1}],\"edges\":[[\"a\",\"b\"]");
    for (int k = 0; b.length() < DOCUMENT - 64; k++) {
      if (distinct) {
        b.append(",[\"x").append(k).append("\",\"y").append(k).append("\"]");
      } else {
        b.append(",[\"a\",\"b\"]");
      }
    }
    return b.append("]}}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] tinyTasksDocument() {
    StringBuilder b = new StringBuilder(DOCUMENT + 64).append("{\"spec\":{\"name\":\"t\",\"nodes\":[");
    int n = Math.min(DagLimits.DEFAULT.maxTasks(), DOCUMENT / 48);
    for (int t = 0; t < n; t++) {
      b.append(t == 0 ? "" : ",").append("{\"task_id\":\"").append(Integer.toString(t, 36))
          .append("\",\"work_units\":1}");
    }
    b.append("],\"edges\":[");
    for (int t = 1; t < n && b.length() < DOCUMENT - 64; t++) {
      b.append(t == 1 ? "" : ",").append("[\"").append(Integer.toString(t - 1, 36)).append("\",\"")
          .append(Integer.toString(t, 36)).append("\"]");
    }
    return b.append("]}}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] membersDocument() {
    StringBuilder b = new StringBuilder(DOCUMENT + 64)
        .append("{\"spec\":{\"name\":\"m\",\"nodes\":[{\"task_id\":\"t\",\"work_units\":1,\"params\":{");
    for (int k = 0; b.length() < DOCUMENT - 64; k++) {
      b.append(k == 0 ? "" : ",").append('"').append(Integer.toString(k, 36)).append("\":0");
    }
    return b.append("}}],\"edges\":[]}}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peak() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long used() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
