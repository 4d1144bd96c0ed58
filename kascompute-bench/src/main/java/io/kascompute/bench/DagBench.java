package io.kascompute.bench;

import io.kascompute.core.json.JsonNull;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Compiling (validating and hashing) a random layered DAG of about two edges per task, against
 * building JGraphT's {@link DirectedAcyclicGraph} from the same spec in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DagBench {
  @Param({"10000", "100000", "1000000"})
  public int tasks;

  private DagSpec spec;

  /** Builds the spec once per trial, from a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() {
    spec = layeredSpec(tasks, 42);
  }

  /** A random layered DAG: layers of 1000 tasks, each task after the first layer depending on two tasks of the layer before. */
  public static DagSpec layeredSpec(int tasks, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int width = 1000;
    List<DagSpec.Node> nodes = new ArrayList<>(tasks);
    List<DagSpec.Edge> edges = new ArrayList<>(2 * tasks);
    for (int i = 0; i < tasks; i++) {
      nodes.add(new DagSpec.Node("task-" + i, 1 + r.nextInt(1000), i % 7 == 0 ? "gpu" : "",
          JsonNull.INSTANCE));
      int layerStart = i - i % width;
      if (layerStart > 0) {
        int prev = layerStart - width;
        int a = prev + r.nextInt(width);
        int b = prev + r.nextInt(width - 1);
        if (b >= a) {
          b++;
        }
        edges.add(new DagSpec.Edge("task-" + a, "task-" + i));
        edges.add(new DagSpec.Edge("task-" + b, "task-" + i));
      }
    }
    return new DagSpec("bench-" + tasks, nodes, edges);
  }

  /** Validation, code-point ordering, CSR, levels, critical path, root hash and every task hash. */
  @Benchmark
  public ComputeDag buildAndHash() {
    return ComputeDag.compile(spec, DagLimits.V1);
  }

  /** JGraphT's DAG built from the same spec: vertices, then edges with its incremental cycle check. */
  @Benchmark
  public DirectedAcyclicGraph<String, DefaultEdge> jgraphtBuild() {
    return jgrapht(spec);
  }

  /** Builds JGraphT's DAG from a spec. */
  public static DirectedAcyclicGraph<String, DefaultEdge> jgrapht(DagSpec spec) {
    DirectedAcyclicGraph<String, DefaultEdge> g = new DirectedAcyclicGraph<>(DefaultEdge.class);
    for (DagSpec.Node n : spec.nodes()) {
      g.addVertex(n.taskId());
    }
    for (DagSpec.Edge e : spec.edges()) {
      g.addEdge(e.from(), e.to());
    }
    return g;
  }
}
