package io.kascompute.dag;

import io.kascompute.core.DagId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.wire.DagSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A validated, immutable ComputeDAG compiled into a compact form: tasks are numbered {@code 0 ..
 * taskCount()-1} in code-point order of their task ids, and dependencies are kept in primitive
 * arrays.
 */
public final class ComputeDag {
  private final String name;
  private final Sha256Digest rootHash;
  private final TaskId[] taskIds;
  private final long[] workUnits;
  private final String[] taskTypes;
  private final JsonValue[] params;
  private final byte[] taskHashes;
  private final int[] inDegree;
  private final int[] dependentStart;
  private final int[] dependents;
  private final int[] levels;
  private final int levelCount;
  private final int[] roots;
  private final long criticalPathWorkUnits;
  private final long totalWorkUnits;

  ComputeDag(
      String name,
      Sha256Digest rootHash,
      TaskId[] taskIds,
      long[] workUnits,
      String[] taskTypes,
      JsonValue[] params,
      byte[] taskHashes,
      int[] inDegree,
      int[] dependentStart,
      int[] dependents,
      int[] levels,
      int levelCount,
      int[] roots,
      long criticalPathWorkUnits,
      long totalWorkUnits) {
    this.name = name;
    this.rootHash = rootHash;
    this.taskIds = taskIds;
    this.workUnits = workUnits;
    this.taskTypes = taskTypes;
    this.params = params;
    this.taskHashes = taskHashes;
    this.inDegree = inDegree;
    this.dependentStart = dependentStart;
    this.dependents = dependents;
    this.levels = levels;
    this.levelCount = levelCount;
    this.roots = roots;
    this.criticalPathWorkUnits = criticalPathWorkUnits;
    this.totalWorkUnits = totalWorkUnits;
  }

  /**
   * Validates and compiles a spec with the {@link DagLimits#DEFAULT default limits}.
   *
   * @throws DagValidationException listing every problem found
   */
  public static ComputeDag compile(DagSpec spec) {
    return compile(spec, DagLimits.DEFAULT);
  }

  /**
   * Validates and compiles a spec: task and edge counts are checked against {@code limits} first;
   * then ids, edges and cycles, collecting every problem found before refusing.
   *
   * @throws DagValidationException listing the problems, its code the first problem's
   */
  public static ComputeDag compile(DagSpec spec, DagLimits limits) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(limits, "limits");
    return DagCompiler.compile(spec, limits);
  }

  /** Starts a fluent builder for a DAG named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The DAG's name from its spec. */
  public String name() {
    return name;
  }

  /** The DAG id: the hex of its root hash. */
  public DagId id() {
    return DagId.of(rootHash);
  }

  /** SHA-256 of the canonical spec bytes. */
  public Sha256Digest rootHash() {
    return rootHash;
  }

  /** The number of tasks. */
  public int taskCount() {
    return taskIds.length;
  }

  /** The number of dependency edges. */
  public int edgeCount() {
    return dependents.length;
  }

  /** The index of a task id, if the DAG has it. */
  public OptionalInt indexOf(TaskId id) {
    int lo = 0;
    int hi = taskIds.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = taskIds[mid].compareTo(id);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return OptionalInt.of(mid);
      }
    }
    return OptionalInt.empty();
  }

  /** The id of task {@code index}. */
  public TaskId taskId(int index) {
    return taskIds[index];
  }

  /** The unsigned 64-bit work units of task {@code index}. */
  public long workUnits(int index) {
    return workUnits[index];
  }

  /** The task type of task {@code index} as sent in the spec; empty if it was absent. */
  public String rawTaskType(int index) {
    return taskTypes[index];
  }

  /** The effective task type of task {@code index}: the sent type, or {@code "sim"} if empty. */
  public String taskType(int index) {
    String t = taskTypes[index];
    return t.isEmpty() ? "sim" : t;
  }

  /** The canonical {@code params} of task {@code index}; JSON {@code null} if it had none. */
  public JsonValue params(int index) {
    return params[index];
  }

  /** The task hash of task {@code index}. */
  public Sha256Digest taskHash(int index) {
    Objects.checkIndex(index, taskIds.length);
    return Sha256Digest.of(Arrays.copyOfRange(taskHashes, index * 32, index * 32 + 32));
  }

  /** The number of tasks that task {@code index} depends on. */
  public int inDegree(int index) {
    return inDegree[index];
  }

  /** The number of tasks that depend on task {@code index}. */
  public int dependentCount(int index) {
    return dependentStart[index + 1] - dependentStart[index];
  }

  /** The {@code k}-th dependent of task {@code index}, dependents ordered by index. */
  public int dependent(int index, int k) {
    return dependents[dependentStart[index] + k];
  }

  /** The topological level of task {@code index}: 0 for a root, else one more than its deepest dependency. */
  public int level(int index) {
    return levels[index];
  }

  /** The number of topological levels: the length of the longest dependency chain, in tasks. */
  public int levelCount() {
    return levelCount;
  }

  /** The indices of the tasks without dependencies, ascending; a fresh array. */
  public int[] roots() {
    return roots.clone();
  }

  /**
   * The largest sum of work units along one dependency chain, unsigned 64-bit; saturates at 2^64-1
   * (read it with {@link Long#toUnsignedString(long)}).
   */
  public long criticalPathWorkUnits() {
    return criticalPathWorkUnits;
  }

  /** The sum of every task's work units, unsigned 64-bit; saturates at 2^64-1. */
  public long totalWorkUnits() {
    return totalWorkUnits;
  }

  /** The canonical spec bytes whose SHA-256 is {@link #rootHash()}; recomputed on every call. */
  public byte[] canonicalSpecBytes() {
    return DagCanonical.specBytes(
        name, taskIds, workUnits, taskTypes, params, dependentStart, dependents);
  }

  /** This DAG as a spec in canonical order (tasks by id, edges by (from, to)). */
  public DagSpec toSpec() {
    List<DagSpec.Node> nodes = new ArrayList<>(taskIds.length);
    for (int i = 0; i < taskIds.length; i++) {
      nodes.add(new DagSpec.Node(taskIds[i].value(), workUnits[i], taskTypes[i], params[i]));
    }
    List<DagSpec.Edge> edges = new ArrayList<>(dependents.length);
    for (int i = 0; i < taskIds.length; i++) {
      for (int k = dependentStart[i]; k < dependentStart[i + 1]; k++) {
        edges.add(new DagSpec.Edge(taskIds[i].value(), taskIds[dependents[k]].value()));
      }
    }
    return new DagSpec(name, nodes, edges);
  }

  @Override
  public String toString() {
    return "ComputeDag[" + name + ", " + taskIds.length + " tasks, " + dependents.length
        + " edges, root " + rootHash.hex() + "]";
  }

  /** Collects tasks and edges for Java callers, then compiles them like a submitted spec. */
  public static final class Builder {
    private final String name;
    private final List<DagSpec.Node> nodes = new ArrayList<>();
    private final List<DagSpec.Edge> edges = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Adds a task with no task type (it runs as {@code "sim"}) and no params. */
    public Builder task(String taskId, long workUnits) {
      return task(taskId, workUnits, "", JsonNull.INSTANCE);
    }

    /** Adds a task with a task type and no params. */
    public Builder task(String taskId, long workUnits, String taskType) {
      return task(taskId, workUnits, taskType, JsonNull.INSTANCE);
    }

    /** Adds a task; {@code workUnits} is unsigned 64-bit and {@code taskType} may be empty. */
    public Builder task(String taskId, long workUnits, String taskType, JsonValue params) {
      nodes.add(new DagSpec.Node(taskId, workUnits, taskType, params));
      return this;
    }

    /** Adds a dependency: {@code to} depends on {@code from}. */
    public Builder edge(String from, String to) {
      edges.add(new DagSpec.Edge(from, to));
      return this;
    }

    /** The spec collected so far, in the order given. */
    public DagSpec toSpec() {
      return new DagSpec(name, nodes, edges);
    }

    /** Compiles with the default limits; see {@link ComputeDag#compile(DagSpec)}. */
    public ComputeDag build() {
      return compile(toSpec());
    }

    /** Compiles with the given limits; see {@link ComputeDag#compile(DagSpec, DagLimits)}. */
    public ComputeDag build(DagLimits limits) {
      return compile(toSpec(), limits);
    }
  }
}
