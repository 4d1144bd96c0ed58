package io.kascompute.bench;

import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import java.lang.ref.Reference;

/**
 * Measures the heap a compiled DAG retains against JGraphT's DAG for the same spec: used heap
 * after full collections, with the spec dropped so only the structure (and the id strings both
 * share from it) remains. Run: {@code java -cp benchmarks.jar io.kascompute.bench.DagRetainedSize
 * [tasks]}.
 */
public final class DagRetainedSize {
  private DagRetainedSize() {}

  /** Prints bytes per task and per (task + edge) for both structures, three rounds each. */
  public static void main(String[] args) {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    for (int round = 1; round <= 3; round++) {
      long base = used();
      DagSpec spec = DagBench.layeredSpec(tasks, 42);
      int edges = spec.edges().size();
      ComputeDag dag = ComputeDag.compile(spec);
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
          "round %d: %d tasks, %d edges | ComputeDag %.1f B/task, %.1f B/(task+edge) | "
              + "JGraphT DirectedAcyclicGraph %.1f B/task, %.1f B/(task+edge)%n",
          round, tasks, edges, compact / (double) tasks, compact / (double) (tasks + edges),
          jgrapht / (double) tasks, jgrapht / (double) (tasks + edges));
      graph = null;
    }
  }

  private static long used() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
