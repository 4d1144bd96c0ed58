package io.kascompute.dag;

import io.kascompute.core.CodePointOrder;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.wire.DagSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Validates a {@link DagSpec} and compiles it into a {@link ComputeDag}: linear work apart from
 * two sorts, primitive arrays throughout, JGraphT only to name a cycle once one is known to exist.
 */
final class DagCompiler {
  private static final Comparator<DagSpec.Node> BY_TASK_ID =
      (a, b) -> CodePointOrder.compare(a.taskId(), b.taskId());

  private DagCompiler() {}

  static ComputeDag compile(DagSpec spec, DagLimits limits) {
    List<DagSpec.Node> nodes = spec.nodes();
    List<DagSpec.Edge> edges = spec.edges();
    if (nodes.size() > limits.maxTasks()) {
      throw single(ErrorCode.TOO_MANY_TASKS,
          "the DAG has " + nodes.size() + " tasks; the limit is " + limits.maxTasks());
    }
    if (edges.size() > limits.maxEdges()) {
      throw single(ErrorCode.TOO_MANY_EDGES,
          "the DAG has " + edges.size() + " edges; the limit is " + limits.maxEdges());
    }
    if (nodes.isEmpty()) {
      throw single(ErrorCode.EMPTY_DAG, "the DAG has no tasks");
    }
    Problems problems = new Problems();

    for (DagSpec.Node node : nodes) {
      checkId(problems, node.taskId(), limits.maxTaskIdLength());
    }

    // Tasks in code-point order of their ids; a stable sort keeps the first of duplicates first.
    DagSpec.Node[] sorted = nodes.toArray(new DagSpec.Node[0]);
    Arrays.sort(sorted, BY_TASK_ID);
    int n = 0;
    String reportedId = null;
    for (int i = 0; i < sorted.length; i++) {
      String kept = n > 0 ? sorted[n - 1].taskId() : null;
      if (kept != null && sorted[i].taskId().equals(kept)) {
        if (reportedId != kept) {
          reportedId = kept;
          problems.add(ErrorCode.DUPLICATE_TASK_ID,
              "task id " + show(kept) + " is used by more than one task");
        }
        continue;
      }
      sorted[n++] = sorted[i];
    }
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = sorted[i].taskId();
    }
    IdIndex index = new IdIndex(ids);

    // Edges as (from << 32 | to) over task indices: sorting them sorts by (from, to) in code-point
    // order, and equal neighbours are duplicates.
    long[] keys = new long[edges.size()];
    int m = 0;
    for (DagSpec.Edge e : edges) {
      int from = index.find(e.from());
      int to = index.find(e.to());
      if (from < 0 || to < 0) {
        String unknown = from < 0 && to < 0 && !e.from().equals(e.to())
            ? "tasks " + show(e.from()) + " and " + show(e.to()) + " are"
            : "task " + show(from < 0 ? e.from() : e.to()) + " is";
        problems.add(ErrorCode.UNKNOWN_EDGE_TASK,
            "edge " + show(e.from()) + " -> " + show(e.to()) + " names a task that is not in the DAG: "
                + unknown + " unknown");
        continue;
      }
      if (from == to) {
        problems.add(ErrorCode.SELF_LOOP, "task " + show(e.from()) + " depends on itself");
        continue;
      }
      keys[m++] = ((long) from << 32) | to;
    }
    Arrays.sort(keys, 0, m);
    int unique = 0;
    long reportedKey = -1;
    for (int i = 0; i < m; i++) {
      if (unique > 0 && keys[i] == keys[unique - 1]) {
        if (keys[i] != reportedKey) {
          reportedKey = keys[i];
          problems.add(ErrorCode.DUPLICATE_EDGE,
              "edge " + show(ids[(int) (keys[i] >>> 32)]) + " -> " + show(ids[(int) keys[i]])
                  + " is listed more than once");
        }
        continue;
      }
      keys[unique++] = keys[i];
    }

    int[] start = new int[n + 1];
    int[] dependents = new int[unique];
    int[] inDegree = new int[n];
    for (int i = 0; i < unique; i++) {
      int from = (int) (keys[i] >>> 32);
      int to = (int) keys[i];
      start[from + 1]++;
      dependents[i] = to;
      inDegree[to]++;
    }
    keys = null;
    for (int i = 0; i < n; i++) {
      start[i + 1] += start[i];
    }

    long[] workUnits = new long[n];
    for (int i = 0; i < n; i++) {
      workUnits[i] = sorted[i].workUnits();
    }

    // Kahn's algorithm, carrying levels and critical-path work units forward.
    int[] remaining = inDegree.clone();
    int[] queue = new int[n];
    int[] level = new int[n];
    long[] finish = new long[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (remaining[i] == 0) {
        queue[tail++] = i;
      }
    }
    int rootCount = tail;
    int maxLevel = 0;
    long criticalPath = 0;
    long totalWork = 0;
    while (head < tail) {
      int v = queue[head++];
      long f = saturatingAdd(finish[v], workUnits[v]);
      finish[v] = f;
      totalWork = saturatingAdd(totalWork, workUnits[v]);
      if (Long.compareUnsigned(f, criticalPath) > 0) {
        criticalPath = f;
      }
      int lv = level[v];
      if (lv > maxLevel) {
        maxLevel = lv;
      }
      for (int k = start[v]; k < start[v + 1]; k++) {
        int d = dependents[k];
        if (level[d] <= lv) {
          level[d] = lv + 1;
        }
        if (Long.compareUnsigned(f, finish[d]) > 0) {
          finish[d] = f;
        }
        if (--remaining[d] == 0) {
          queue[tail++] = d;
        }
      }
    }
    if (tail < n) {
      reportCycles(problems, ids, start, dependents, remaining);
    }
    problems.throwIfAny();

    int[] roots = Arrays.copyOf(queue, rootCount);
    Arrays.sort(roots);

    TaskId[] taskIds = new TaskId[n];
    String[] types = new String[n];
    JsonValue[] params = new JsonValue[n];
    Map<String, String> typePool = new HashMap<>();
    for (int i = 0; i < n; i++) {
      taskIds[i] = TaskId.of(ids[i]);
      types[i] = typePool.computeIfAbsent(sorted[i].taskType(), t -> t);
      params[i] = sorted[i].params();
    }
    Sha256Digest root = Sha256Digest.of(
        DagCanonical.rootHash(spec.name(), taskIds, workUnits, types, params, start, dependents));
    byte[] taskHashes = new byte[n * 32];
    DagCanonical.taskHashes(
        root.hex().getBytes(StandardCharsets.US_ASCII), taskIds, workUnits, types, params,
        taskHashes);
    return new ComputeDag(spec.name(), root, taskIds, workUnits, types, params, taskHashes,
        inDegree, start, dependents, level, maxLevel + 1, roots, criticalPath, totalWork);
  }

  /** Names one concrete cycle per non-trivial strongly connected component among stuck tasks. */
  private static void reportCycles(
      Problems problems, String[] ids, int[] start, int[] dependents, int[] remaining) {
    Graph<Integer, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
    for (int v = 0; v < ids.length; v++) {
      if (remaining[v] > 0) {
        g.addVertex(v);
      }
    }
    for (int v = 0; v < ids.length; v++) {
      if (remaining[v] > 0) {
        for (int k = start[v]; k < start[v + 1]; k++) {
          if (remaining[dependents[k]] > 0) {
            g.addEdge(v, dependents[k]);
          }
        }
      }
    }
    List<Set<Integer>> components =
        new ArrayList<>(new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets());
    components.removeIf(c -> c.size() < 2);
    components.sort(Comparator.comparingInt(c -> c.stream().mapToInt(Integer::intValue).min().orElseThrow()));
    for (Set<Integer> component : components) {
      int v = component.stream().mapToInt(Integer::intValue).min().orElseThrow();
      int next = -1;
      for (int k = start[v]; k < start[v + 1] && next < 0; k++) {
        if (component.contains(dependents[k])) {
          next = dependents[k];
        }
      }
      GraphPath<Integer, DefaultEdge> back =
          BFSShortestPath.findPathBetween(new AsSubgraph<>(g, component), next, v);
      StringBuilder path = new StringBuilder(show(ids[v]));
      for (int u : back.getVertexList()) {
        path.append(" -> ").append(show(ids[u]));
      }
      problems.add(ErrorCode.CYCLE, "the dependencies form a cycle: " + path);
    }
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return Long.compareUnsigned(s, a) < 0 ? -1L : s;
  }

  private static void checkId(Problems problems, String id, int maxLength) {
    if (id.isEmpty()) {
      problems.add(ErrorCode.INVALID_ID, "a task id is empty");
      return;
    }
    if (id.length() > maxLength) {
      problems.add(ErrorCode.INVALID_ID,
          "task id " + show(id) + " is " + id.length() + " characters long; the limit is " + maxLength);
      return;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        problems.add(ErrorCode.INVALID_ID,
            "task id " + show(id) + " holds control character U+" + String.format("%04X", (int) c));
        return;
      }
      if (Character.isHighSurrogate(c) && i + 1 < id.length()
          && Character.isLowSurrogate(id.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        problems.add(ErrorCode.INVALID_ID, "task id " + show(id) + " holds a lone surrogate");
        return;
      }
    }
  }

  /** A task id for a message: quoted, control characters and lone surrogates escaped, cut at 80. */
  static String show(String id) {
    StringBuilder b = new StringBuilder(Math.min(id.length(), 80) + 8).append('"');
    int limit = Math.min(id.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = id.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < id.length()
          && Character.isLowSurrogate(id.charAt(i + 1));
      if (paired) {
        b.append(c).append(id.charAt(++i));
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else {
        b.append(c);
      }
    }
    if (id.length() > limit) {
      b.append("...");
    }
    return b.append('"').toString();
  }

  private static DagValidationException single(ErrorCode code, String message) {
    return new DagValidationException(List.of(new DagProblem(code, message)), 0);
  }

  /** Collects problems up to the listing limit and counts the rest. */
  private static final class Problems {
    private final List<DagProblem> list = new ArrayList<>();
    private long suppressed;

    void add(ErrorCode code, String message) {
      if (list.size() < DagValidationException.MAX_PROBLEMS) {
        list.add(new DagProblem(code, message));
      } else {
        suppressed++;
      }
    }

    void throwIfAny() {
      if (!list.isEmpty()) {
        throw new DagValidationException(list, suppressed);
      }
    }
  }

  /** An open-addressing map from task id to index over the sorted, distinct ids. */
  private static final class IdIndex {
    private final String[] ids;
    private final int[] slots;
    private final int mask;

    IdIndex(String[] ids) {
      this.ids = ids;
      int capacity = Integer.highestOneBit(Math.max(4, ids.length * 2 - 1)) << 1;
      this.slots = new int[capacity];
      this.mask = capacity - 1;
      for (int i = 0; i < ids.length; i++) {
        int h = spread(ids[i].hashCode()) & mask;
        while (slots[h] != 0) {
          h = (h + 1) & mask;
        }
        slots[h] = i + 1;
      }
    }

    int find(String id) {
      int h = spread(id.hashCode()) & mask;
      while (true) {
        int s = slots[h];
        if (s == 0) {
          return -1;
        }
        if (ids[s - 1].equals(id)) {
          return s - 1;
        }
        h = (h + 1) & mask;
      }
    }

    private static int spread(int h) {
      h *= 0x9E3779B9;
      return h ^ (h >>> 16);
    }
  }
}
