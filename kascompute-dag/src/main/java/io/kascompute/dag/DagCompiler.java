package io.kascompute.dag;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.internal.spec.ByteStrings;
import io.kascompute.dag.internal.spec.IdOrder;
import io.kascompute.dag.internal.spec.SpecParts;
import io.kascompute.dag.internal.spec.Whitespace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Validates {@link SpecParts} and compiles them into a {@link ComputeDag}, with V1's rules:
 * linear work apart from two sorts, primitive arrays throughout, bounded memory even for the
 * cycles of a hostile spec.
 */
final class DagCompiler {
  private DagCompiler() {}

  /** Compiles a spec built in Java (or read into records): counts first, then as {@link #compile(SpecParts, DagLimits)}. */
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
    SpecParts parts = new SpecParts(nodes.size());
    utf8(spec.name(), "the DAG name");
    parts.name(spec.name());
    for (DagSpec.Node n : nodes) {
      byte[] id = taskIdUtf8(n.taskId());
      byte[] type = utf8(n.taskType(), "task type of task " + show(id, 0, id.length));
      byte[] params = DagCanonical.paramsBytes(n.params());
      parts.node(parts.id(id, 0, id.length), n.workUnits(), parts.type(type, 0, type.length),
          params, 0, params.length);
    }
    for (DagSpec.Edge e : edges) {
      byte[] from = taskIdUtf8(e.from());
      byte[] to = taskIdUtf8(e.to());
      parts.edge(parts.id(from, 0, from.length), parts.id(to, 0, to.length));
    }
    return compile(parts, limits);
  }

  /**
   * Compiles parts read from JSON or built from records. A refusal recorded while reading is
   * thrown first; then counts, the canonical size, and then every problem of V1's validation is
   * collected in V1's order: each node in document order (an id empty after trimming Unicode
   * whitespace, a duplicate id), each edge in document order (a self-loop, an unknown end), then
   * cycles.
   */
  static ComputeDag compile(SpecParts parts, DagLimits limits) {
    if (parts.refused()) {
      if (parts.refusedAt().compareTo(SpecParts.Stage.TASK_COUNT) < 0) {
        throw new KasComputeException(parts.refusalCode(), parts.refusalMessage());
      }
      throw single(parts.refusalCode(), parts.refusalMessage());
    }
    int n = parts.nodeCount();
    int m = parts.edgeCount();
    if (n > limits.maxTasks()) {
      throw single(ErrorCode.TOO_MANY_TASKS,
          "the DAG has " + n + " tasks; the limit is " + limits.maxTasks());
    }
    if (m > limits.maxEdges()) {
      throw single(ErrorCode.TOO_MANY_EDGES,
          "the DAG has " + m + " edges; the limit is " + limits.maxEdges());
    }
    ByteStrings ids = parts.ids();
    byte[] idBytes = ids.bytes();
    int symbols = ids.count();
    long size = parts.canonicalSize();
    if (size < 0) {
      long[] literal = new long[symbols];
      for (int s = 0; s < symbols; s++) {
        literal[s] = JsonWriter.literalLength(idBytes, ids.start(s), ids.length(s));
      }
      size = canonicalSize(parts, literal);
    }
    if (size > limits.maxCanonicalSpecBytes()) {
      throw single(ErrorCode.VALUE_TOO_LARGE, "the canonical spec is " + size
          + " bytes; the limit is " + limits.maxCanonicalSpecBytes());
    }
    if (symbols > limits.maxTasks()) {
      throw single(ErrorCode.TOO_MANY_TASKS, "the nodes and edges name more than "
          + limits.maxTasks() + " distinct task ids, the task limit (an edge names a task that is"
          + " not in the DAG)");
    }

    Problems problems = new Problems();
    // The node of each id (its first, if it has several).
    int[] nodeOf = new int[symbols];
    Arrays.fill(nodeOf, -1);
    boolean[] reported = new boolean[symbols];
    for (int i = 0; i < n; i++) {
      int s = parts.nodeId(i);
      if (nodeOf[s] >= 0) {
        if (!reported[s]) {
          reported[s] = true;
          if (!blank(ids, s)) {
            problems.add(ErrorCode.DUPLICATE_TASK_ID,
                "task id " + show(ids, s) + " is used by more than one task");
          }
        }
        continue;
      }
      nodeOf[s] = i;
      if (blank(ids, s)) {
        problems.add(ErrorCode.INVALID_ID, ids.length(s) == 0 ? "a task id is empty"
            : "task id " + show(ids, s) + " is empty after trimming whitespace");
      }
    }
    reported = null;

    // Tasks in code-point order of their ids.
    int[] starts = new int[n];
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      int s = parts.nodeId(i);
      starts[i] = ids.start(s);
      ends[i] = ids.end(s);
    }
    int[] order = IdOrder.order(idBytes, starts, ends);
    starts = null;
    ends = null;
    int[] rank = new int[n];
    for (int k = 0; k < n; k++) {
      rank[order[k]] = k;
    }

    // Edges as (from << 32 | to) over sorted task positions: sorting them sorts by (from, to) in
    // code-point order, and a repeated edge lands next to its first copy.
    long[] keys = new long[m];
    int valid = 0;
    for (int j = 0; j < m; j++) {
      int f = parts.edgeFrom(j);
      int t = parts.edgeTo(j);
      if (f == t) {
        problems.add(ErrorCode.SELF_LOOP, "task " + show(ids, f) + " depends on itself");
      } else if (nodeOf[f] < 0 || nodeOf[t] < 0) {
        String unknown = nodeOf[f] < 0 && nodeOf[t] < 0
            ? "tasks " + show(ids, f) + " and " + show(ids, t) + " are"
            : "task " + show(ids, nodeOf[f] < 0 ? f : t) + " is";
        problems.add(ErrorCode.UNKNOWN_EDGE_TASK, "edge " + show(ids, f) + " -> " + show(ids, t)
            + " names a task that is not in the DAG: " + unknown + " unknown");
      } else {
        keys[valid++] = ((long) rank[nodeOf[f]] << 32) | rank[nodeOf[t]];
      }
    }
    nodeOf = null;
    Arrays.sort(keys, 0, valid);
    int distinct = 0;
    int duplicates = 0;
    for (int k = 0; k < valid; k++) {
      if (k > 0 && keys[k] == keys[k - 1]) {
        duplicates++;
      } else {
        distinct++;
      }
    }
    long[] duplicateEdges = new long[duplicates];
    int[] start = new int[n + 1];
    int[] dependents = new int[distinct];
    int[] inDegree = new int[n];
    int d = 0;
    int x = 0;
    for (int k = 0; k < valid; k++) {
      long key = keys[k];
      if (k > 0 && key == keys[k - 1]) {
        duplicateEdges[x++] = key;
        continue;
      }
      int from = (int) (key >>> 32);
      int to = (int) key;
      start[from + 1]++;
      dependents[d++] = to;
      inDegree[to]++;
    }
    keys = null;
    for (int i = 0; i < n; i++) {
      start[i + 1] += start[i];
    }

    long[] workUnits = new long[n];
    for (int k = 0; k < n; k++) {
      workUnits[k] = parts.workUnits(order[k]);
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
    int maxLevel = -1;
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
        int dep = dependents[k];
        if (level[dep] <= lv) {
          level[dep] = lv + 1;
        }
        if (Long.compareUnsigned(f, finish[dep]) > 0) {
          finish[dep] = f;
        }
        if (--remaining[dep] == 0) {
          queue[tail++] = dep;
        }
      }
    }
    finish = null;
    if (tail < n) {
      Cycles.report(problems, parts, order, start, dependents, remaining);
    }
    problems.throwIfAny();
    int[] roots = Arrays.copyOf(queue, rootCount);
    Arrays.sort(roots);
    queue = null;
    remaining = null;

    // The compact form, in sorted order. Params stay where they were read (no copy: they may be
    // most of the spec), trimmed if the array grew well past them.
    long idTotal = 0;
    for (int i = 0; i < n; i++) {
      idTotal += ids.length(parts.nodeId(i));
    }
    byte[] sortedIds = new byte[(int) idTotal];
    int[] idStart = new int[n + 1];
    int[] paramsStart = new int[n];
    int[] paramsEnd = new int[n];
    int[] types = new int[n];
    int ip = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      int s = parts.nodeId(i);
      int len = ids.length(s);
      System.arraycopy(idBytes, ids.start(s), sortedIds, ip, len);
      ip += len;
      idStart[k + 1] = ip;
      paramsStart[k] = parts.paramsStart(i);
      paramsEnd[k] = parts.paramsEnd(i);
      types[k] = parts.nodeType(i);
    }
    byte[] params = parts.params();
    int paramsLength = n == 0 ? 0 : parts.paramsEnd(n - 1);
    if (params.length - paramsLength > paramsLength / 4 + 64) {
      params = Arrays.copyOf(params, paramsLength);
    }
    ByteStrings typeStrings = parts.types();
    byte[][] rawTypes = new byte[typeStrings.count()][];
    for (int t = 0; t < rawTypes.length; t++) {
      rawTypes[t] = Arrays.copyOfRange(typeStrings.bytes(), typeStrings.start(t), typeStrings.end(t));
    }
    return new ComputeDag(parts.name(), sortedIds, idStart, workUnits, types, rawTypes, params,
        paramsStart, paramsEnd, inDegree, start, dependents, duplicateEdges, level, maxLevel + 1, roots,
        criticalPath, totalWork);
  }

  /** The exact size of the canonical spec, from the parts (ids as literals of {@code literal}). */
  private static long canonicalSize(SpecParts parts, long[] literal) {
    byte[] name = parts.name().getBytes(StandardCharsets.UTF_8);
    // {"name":N,"nodes":[...],"edges":[...]}
    long size = 31 + JsonWriter.literalLength(name, 0, name.length);
    ByteStrings types = parts.types();
    long[] typeLiteral = new long[types.count()];
    for (int t = 0; t < typeLiteral.length; t++) {
      typeLiteral[t] = Whitespace.isBlank(types.bytes(), types.start(t), types.length(t)) ? 5
          : JsonWriter.literalLength(types.bytes(), types.start(t), types.length(t));
    }
    int n = parts.nodeCount();
    for (int i = 0; i < n; i++) {
      // {"task_id":I,"work_units":U,"task_type":T,"params":P}
      size += 49 + literal[parts.nodeId(i)] + Long.toUnsignedString(parts.workUnits(i)).length()
          + typeLiteral[parts.nodeType(i)] + parts.paramsEnd(i) - parts.paramsStart(i);
    }
    int m = parts.edgeCount();
    for (int j = 0; j < m; j++) {
      // {"from":F,"to":T}
      size += 15 + literal[parts.edgeFrom(j)] + literal[parts.edgeTo(j)];
    }
    return size + Math.max(0, n - 1) + Math.max(0, m - 1);
  }

  private static boolean blank(ByteStrings ids, int s) {
    return Whitespace.isBlank(ids.bytes(), ids.start(s), ids.length(s));
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return Long.compareUnsigned(s, a) < 0 ? -1L : s;
  }

  /** The UTF-8 of a task id built in Java; a lone surrogate has none and is refused. */
  private static byte[] taskIdUtf8(String id) {
    if (hasLoneSurrogate(id)) {
      throw single(ErrorCode.INVALID_ID, "a task id holds a lone surrogate");
    }
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s, String what) {
    if (hasLoneSurrogate(s)) {
      throw new KasComputeException(ErrorCode.INVALID_UTF8, what + " holds a lone surrogate");
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  static String show(ByteStrings ids, int s) {
    return show(ids.bytes(), ids.start(s), ids.length(s));
  }

  /** A task id for a message: quoted, control characters escaped, cut at 80 characters. */
  static String show(byte[] utf8, int off, int len) {
    String id = new String(utf8, off, len, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(Math.min(id.length(), 80) + 8).append('"');
    int limit = Math.min(id.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = id.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < id.length()) {
        b.append(c).append(id.charAt(++i));
      } else if (c < 0x20 || c == 0x7f) {
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

  static DagValidationException single(ErrorCode code, String message) {
    return new DagValidationException(List.of(new DagProblem(code, message)), 0);
  }

  /** Collects problems up to the listing limit and counts the rest. */
  static final class Problems {
    private final List<DagProblem> list = new ArrayList<>();
    private long suppressed;

    void add(ErrorCode code, String message) {
      if (list.size() < DagValidationException.MAX_PROBLEMS) {
        list.add(new DagProblem(code, message));
      } else {
        suppressed++;
      }
    }

    boolean full() {
      return list.size() >= DagValidationException.MAX_PROBLEMS;
    }

    List<DagProblem> list() {
      return list;
    }

    long suppressed() {
      return suppressed;
    }

    void throwIfAny() {
      if (!list.isEmpty()) {
        throw new DagValidationException(list, suppressed);
      }
    }
  }

  /**
   * Names one concrete cycle per strongly connected group of the tasks Kahn's algorithm could not
   * reach, with iterative Tarjan and a breadth-first search on int arrays: memory stays linear in
   * tasks and edges, whatever the spec.
   */
  private static final class Cycles {
    /** A cycle longer than twice this many tasks is shown by its two ends. */
    private static final int CYCLE_SHOWN = 8;

    private Cycles() {}

    static void report(Problems problems, SpecParts parts, int[] order, int[] start,
        int[] dependents, int[] remaining) {
      int n = remaining.length;
      int[] index = new int[n];
      int[] low = new int[n];
      Arrays.fill(index, -1);
      boolean[] onStack = new boolean[n];
      int[] stack = new int[n];
      int sp = 0;
      int[] callVertex = new int[n];
      int[] callEdge = new int[n];
      int[] component = new int[n];
      Arrays.fill(component, -1);
      List<int[]> groups = new ArrayList<>();
      int counter = 0;
      for (int root = 0; root < n; root++) {
        if (remaining[root] == 0 || index[root] >= 0) {
          continue;
        }
        int depth = 0;
        callVertex[0] = root;
        callEdge[0] = start[root];
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        onStack[root] = true;
        while (depth >= 0) {
          int v = callVertex[depth];
          if (callEdge[depth] < start[v + 1]) {
            int w = dependents[callEdge[depth]++];
            if (remaining[w] == 0) {
              continue;
            }
            if (index[w] < 0) {
              index[w] = low[w] = counter++;
              stack[sp++] = w;
              onStack[w] = true;
              depth++;
              callVertex[depth] = w;
              callEdge[depth] = start[w];
            } else if (onStack[w]) {
              low[v] = Math.min(low[v], index[w]);
            }
            continue;
          }
          if (low[v] == index[v]) {
            int size = 0;
            int min = Integer.MAX_VALUE;
            for (int k = sp - 1; ; k--) {
              size++;
              min = Math.min(min, stack[k]);
              if (stack[k] == v) {
                break;
              }
            }
            int id = groups.size();
            do {
              int w = stack[--sp];
              onStack[w] = false;
              if (size > 1) {
                component[w] = id;
              }
            } while (stack[sp] != v);
            if (size > 1) {
              groups.add(new int[] {min, size});
            }
          }
          depth--;
          if (depth >= 0) {
            int parent = callVertex[depth];
            low[parent] = Math.min(low[parent], low[v]);
          }
        }
      }
      groups.sort((a, b) -> Integer.compare(a[0], b[0]));
      int[] parent = new int[n];
      int[] bfs = new int[n];
      Arrays.fill(parent, -1);
      for (int[] g : groups) {
        if (problems.full()) {
          problems.add(ErrorCode.CYCLE, "");
          continue;
        }
        int v = g[0];
        int c = component[v];
        int next = -1;
        for (int k = start[v]; k < start[v + 1] && next < 0; k++) {
          if (component[dependents[k]] == c) {
            next = dependents[k];
          }
        }
        // The shortest path from next back to v inside the group.
        int head = 0;
        int tail = 0;
        bfs[tail++] = next;
        parent[next] = next;
        while (head < tail && parent[v] < 0) {
          int u = bfs[head++];
          for (int k = start[u]; k < start[u + 1]; k++) {
            int w = dependents[k];
            if (component[w] == c && parent[w] < 0) {
              parent[w] = u;
              bfs[tail++] = w;
            }
          }
        }
        List<Integer> back = new ArrayList<>();
        for (int u = v; ; u = parent[u]) {
          back.add(u);
          if (u == next) {
            break;
          }
        }
        // v, then the path back to it; a long one is cut in the middle.
        StringBuilder path = new StringBuilder(name(parts, order, v));
        int shown = 0;
        for (int k = back.size() - 1; k >= 0; k--) {
          if (back.size() > 2 * CYCLE_SHOWN && shown == CYCLE_SHOWN) {
            int skipped = back.size() - 2 * CYCLE_SHOWN;
            path.append(" -> ... (").append(skipped).append(" more tasks)");
            k -= skipped - 1;
            shown++;
            continue;
          }
          path.append(" -> ").append(name(parts, order, back.get(k)));
          shown++;
        }
        problems.add(ErrorCode.CYCLE, "the dependencies form a cycle: " + path);
        for (int k = 0; k < tail; k++) {
          parent[bfs[k]] = -1;
        }
      }
    }

    private static String name(SpecParts parts, int[] order, int position) {
      return show(parts.ids(), parts.nodeId(order[position]));
    }
  }
}
