package io.kascompute.bench;

import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;

/**
 * Measures the heap a compiled DAG retains, and the peak heap of reading one from JSON, against
 * JGraphT's DAG for the same spec: used heap after full collections, and the peak of the heap
 * pools while reading. Run: {@code java -XX:+UseSerialGC -cp benchmarks.jar
 * io.kascompute.bench.DagRetainedSize [tasks]}.
 */
public final class DagRetainedSize {
  private DagRetainedSize() {}

  /** Prints bytes per task for each structure, three rounds each. */
  public static void main(String[] args) {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    for (int round = 1; round <= 3; round++) {
      byte[] json = DagReadBench.document(tasks, 42).getBytes(StandardCharsets.UTF_8);
      long base = used();
      resetPeaks();
      ComputeDag read = ComputeDag.fromSubmitBodyOrSpec(json, DagLimits.V1);
      long peak = peak() - base;
      int edges = read.edgeCount();
      long streamed = used() - base;
      Reference.reachabilityFence(read);
      read = null;
      json = null;

      base = used();
      DagSpec spec = DagBench.layeredSpec(tasks, 42);
      ComputeDag dag = ComputeDag.compile(spec, DagLimits.V1);
      spec = null;
      long compact = used() - base;
      Reference.reachabilityFence(dag);
      dag = null;
      base = used();
      spec = DagBench.layeredSpec(tasks, 42);
      Object graph = DagBench.jgrapht(spec);
      spec = null;
      long jgrapht = used() - base;
      Reference.reachabilityFence(graph);
      System.out.printf(
          "round %d: %d tasks | read from JSON (%d edges): peak %.0f B/task, retained %.1f B/task"
              + " | compiled from records: %.1f B/task | JGraphT DirectedAcyclicGraph %.1f B/task%n",
          round, tasks, edges, peak / (double) tasks, streamed / (double) tasks,
          compact / (double) tasks, jgrapht / (double) tasks);
      graph = null;
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset: an upper bound of the peak heap. */
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
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
