package io.kascompute.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * {@link ComputeDag}'s graph facts (cycle refusal, roots, levels, critical path) against JGraphT's
 * cycle detector and topological order on the same random graph: an independent implementation
 * of the graph algorithms the compact representation re-implements.
 */
class ComputeDagGraphTest {
  /** A random simple directed graph: task work units and edges as index pairs. */
  record RandomGraph(List<Integer> workUnits, List<List<Integer>> edges) {}

  @Provide
  Arbitrary<RandomGraph> graphs() {
    return Arbitraries.integers().between(1, 14).flatMap(n -> Combinators.combine(
        Arbitraries.integers().between(0, 50).list().ofSize(n),
        Arbitraries.integers().between(0, n - 1).list().ofSize(2).list().ofMaxSize(3 * n))
        .as(RandomGraph::new));
  }

  @Property(tries = 500)
  void agreesWithJGraphT(@ForAll("graphs") RandomGraph g) {
    int n = g.workUnits().size();
    Graph<Integer, DefaultEdge> reference = new SimpleDirectedGraph<>(DefaultEdge.class);
    ComputeDag.Builder builder = ComputeDag.builder("random");
    for (int i = 0; i < n; i++) {
      reference.addVertex(i);
      builder.task(id(i), g.workUnits().get(i));
    }
    for (List<Integer> e : g.edges()) {
      int from = e.get(0);
      int to = e.get(1);
      if (from != to && reference.addEdge(from, to) != null) {
        builder.edge(id(from), id(to));
      }
    }
    if (new CycleDetector<>(reference).detectCycles()) {
      assertThatThrownBy(builder::build).isInstanceOfSatisfying(DagValidationException.class,
          ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CYCLE));
      return;
    }
    ComputeDag dag = builder.build();
    Map<Integer, Integer> level = new HashMap<>();
    Map<Integer, Long> path = new HashMap<>();
    int levels = 0;
    long critical = 0;
    for (var it = new TopologicalOrderIterator<>(reference); it.hasNext(); ) {
      int v = it.next();
      int l = 0;
      long p = 0;
      for (DefaultEdge in : reference.incomingEdgesOf(v)) {
        int u = reference.getEdgeSource(in);
        l = Math.max(l, level.get(u) + 1);
        p = Math.max(p, path.get(u));
      }
      level.put(v, l);
      path.put(v, p + g.workUnits().get(v));
      levels = Math.max(levels, l + 1);
      critical = Math.max(critical, path.get(v));
    }
    assertThat(dag.levelCount()).isEqualTo(levels);
    assertThat(dag.criticalPathWorkUnits()).isEqualTo(critical);
    assertThat(dag.edgeCount()).isEqualTo(reference.edgeSet().size());
    for (int v = 0; v < n; v++) {
      int index = dag.indexOf(io.kascompute.core.TaskId.of(id(v))).orElseThrow();
      assertThat(dag.level(index)).as("level of %s", id(v)).isEqualTo(level.get(v));
      assertThat(dag.inDegree(index)).isEqualTo(reference.inDegreeOf(v));
    }
  }

  private static String id(int i) {
    return "t" + (char) ('a' + i);
  }
}
