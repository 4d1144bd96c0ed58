package io.kascompute.dag;

import io.kascompute.core.DagId;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.internal.spec.SpecReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A validated, immutable ComputeDAG compiled into a compact form: tasks are numbered {@code 0 ..
 * taskCount()-1} in code-point order of their task ids; ids, work units, task types and each
 * task's canonical {@code params} sit in flat arrays, dependencies in primitive arrays.
 *
 * <p>Compiling accepts every spec deployed V1 coordinators accept and refuses what they refuse
 * (see {@code docs/spec/dag.md}); what a coordinator refuses beyond that is its {@link
 * DagAdmission} policy, checked on the compiled DAG. Read untrusted JSON with {@link
 * #fromSubmitBody}, {@link #fromSpecJson} or {@link #fromSubmitBodyOrSpec}: they read the bytes
 * in one pass straight into this form, so that a submit costs about its compiled size.
 */
public final class ComputeDag {
  /** Reads canonical params back: they were read within limits already. */
  private static final StrictJsonReader PARAMS_READER =
      StrictJsonReader.withLimits(new JsonLimits(Integer.MAX_VALUE, JsonLimits.MAX_DEPTH));

  final String name;
  final int taskCount;
  /** UTF-8 task ids back to back; task {@code i} spans {@code idStart[i] .. idStart[i+1]}. */
  final byte[] ids;
  final int[] idStart;
  final long[] workUnits;
  /** The type number of each task, into the type tables below. */
  final int[] types;
  final byte[][] rawTypeUtf8;
  final String[] rawTypes;
  /** The canonical {@code task_type} of each type number: {@code "sim"} for a blank type. */
  final String[] effectiveTypes;
  /** Every task's canonical params, in no particular order; task {@code i}'s span {@code paramsStart[i] .. paramsEnd[i]}. */
  final byte[] params;
  final int[] paramsStart;
  final int[] paramsEnd;
  final int[] inDegree;
  final int[] dependentStart;
  final int[] dependents;
  /** Each edge listed more than once, as {@code from << 32 | to}, once per extra copy, sorted. */
  final long[] duplicateEdges;
  final int[] levels;
  final int levelCount;
  final int[] roots;
  final long criticalPathWorkUnits;
  final long totalWorkUnits;
  private final Sha256Digest rootHash;
  private final byte[] taskHashes;

  ComputeDag(
      String name,
      byte[] ids,
      int[] idStart,
      long[] workUnits,
      int[] types,
      byte[][] rawTypeUtf8,
      byte[] params,
      int[] paramsStart,
      int[] paramsEnd,
      int[] inDegree,
      int[] dependentStart,
      int[] dependents,
      long[] duplicateEdges,
      int[] levels,
      int levelCount,
      int[] roots,
      long criticalPathWorkUnits,
      long totalWorkUnits) {
    this.name = name;
    this.taskCount = workUnits.length;
    this.ids = ids;
    this.idStart = idStart;
    this.workUnits = workUnits;
    this.types = types;
    this.rawTypeUtf8 = rawTypeUtf8;
    this.rawTypes = new String[rawTypeUtf8.length];
    this.effectiveTypes = new String[rawTypeUtf8.length];
    for (int t = 0; t < rawTypeUtf8.length; t++) {
      rawTypes[t] = new String(rawTypeUtf8[t], StandardCharsets.UTF_8);
      effectiveTypes[t] = DagCanonical.isBlank(rawTypeUtf8[t]) ? "sim" : rawTypes[t];
    }
    this.params = params;
    this.paramsStart = paramsStart;
    this.paramsEnd = paramsEnd;
    this.inDegree = inDegree;
    this.dependentStart = dependentStart;
    this.dependents = dependents;
    this.duplicateEdges = duplicateEdges;
    this.levels = levels;
    this.levelCount = levelCount;
    this.roots = roots;
    this.criticalPathWorkUnits = criticalPathWorkUnits;
    this.totalWorkUnits = totalWorkUnits;
    this.rootHash = Sha256Digest.of(DagCanonical.rootHash(this));
    this.taskHashes = DagCanonical.taskHashes(this, rootHash);
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
   * Validates and compiles a spec: task and edge counts and the canonical size are checked
   * against {@code limits} first; then task ids, edges and cycles, collecting every problem found
   * before refusing. The bounds of admission ({@link DagAdmission}) are not checked.
   *
   * @throws DagValidationException listing the problems, its code the first problem's
   */
  public static ComputeDag compile(DagSpec spec, DagLimits limits) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(limits, "limits");
    return DagCompiler.compile(spec, limits);
  }

  /**
   * Reads and compiles the body of {@code POST /v1/dags/submit}, {@code {"spec": {...}}} (other
   * members ignored), in one pass over the bytes.
   *
   * <p>JSON is read as strictly as {@link StrictJsonReader} reads it, with {@code
   * limits.maxSpecBytes()} and {@code limits.maxDepth()} as its limits, and the spec as {@link
   * DagSpec#fromSubmitBody} reads it: the same documents are refused with the same codes.
   *
   * @throws KasComputeException a JSON reading code ({@code malformed_json}, {@code
   *     duplicate_key}, {@code body_too_large}, ...) or a field code ({@code missing_field},
   *     {@code wrong_type}, {@code field_out_of_range})
   * @throws DagValidationException if the spec is refused (a bound of {@code limits}, an invalid
   *     or duplicate task id, a self-loop, an unknown edge end, a cycle)
   */
  public static ComputeDag fromSubmitBody(byte[] body, DagLimits limits) {
    return read(body, SpecReader.Shape.SUBMIT_BODY, limits);
  }

  /**
   * Reads and compiles a bare spec {@code {"name", "nodes", "edges"}}, as {@link
   * #fromSubmitBody} reads a submit body.
   *
   * @throws KasComputeException a JSON reading code or a field code
   * @throws DagValidationException if the spec is refused
   */
  public static ComputeDag fromSpecJson(byte[] json, DagLimits limits) {
    return read(json, SpecReader.Shape.SPEC, limits);
  }

  /**
   * Reads and compiles a file as tools read it: a submit body if the object has no {@code nodes}
   * member and its {@code spec} member is an object, else a bare spec.
   *
   * @throws KasComputeException a JSON reading code or a field code
   * @throws DagValidationException if the spec is refused
   */
  public static ComputeDag fromSubmitBodyOrSpec(byte[] json, DagLimits limits) {
    return read(json, SpecReader.Shape.SUBMIT_BODY_OR_SPEC, limits);
  }

  private static ComputeDag read(byte[] json, SpecReader.Shape shape, DagLimits limits) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(limits, "limits");
    return DagCompiler.compile(SpecReader.read(json, shape, limits.maxSpecBytes(),
        limits.maxDepth(), limits.maxTasks(), limits.maxEdges(), limits.maxCanonicalSpecBytes()),
        limits);
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

  /** The number of tasks; 0 for an empty DAG, which V1 accepts. */
  public int taskCount() {
    return taskCount;
  }

  /** The number of edges in the spec, an edge listed twice counted twice. */
  public int edgeCount() {
    return dependents.length + duplicateEdges.length;
  }

  /** The number of edges that repeat an edge listed before them. */
  public int duplicateEdgeCount() {
    return duplicateEdges.length;
  }

  /** The index of a task id, if the DAG has it. */
  public OptionalInt indexOf(TaskId id) {
    byte[] key = id.value().getBytes(StandardCharsets.UTF_8);
    int lo = 0;
    int hi = taskCount - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Arrays.compareUnsigned(ids, idStart[mid], idStart[mid + 1], key, 0, key.length);
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

  /**
   * The id of task {@code index}.
   *
   * @throws KasComputeException {@code invalid_id} if the id is longer than {@link
   *     TaskId#MAX_LENGTH}, which only a DAG compiled without the {@link
   *     DagAdmission.Rule#VALUE_BOUNDS} bound can hold (see {@link #taskIdString})
   */
  public TaskId taskId(int index) {
    return TaskId.of(taskIdString(index));
  }

  /** The id of task {@code index} as a string, whatever its length. */
  public String taskIdString(int index) {
    Objects.checkIndex(index, taskCount);
    return new String(ids, idStart[index], idStart[index + 1] - idStart[index],
        StandardCharsets.UTF_8);
  }

  /** The UTF-8 bytes of task {@code index}'s id, as hashed; a fresh array. */
  public byte[] taskIdUtf8(int index) {
    Objects.checkIndex(index, taskCount);
    return Arrays.copyOfRange(ids, idStart[index], idStart[index + 1]);
  }

  /** The unsigned 64-bit work units of task {@code index}. */
  public long workUnits(int index) {
    return workUnits[index];
  }

  /** The task type of task {@code index} as sent in the spec, untrimmed; empty if it was absent. */
  public String rawTaskType(int index) {
    return rawTypes[types[index]];
  }

  /**
   * The effective task type of task {@code index}, as the canonical spec and a grant carry it:
   * {@code "sim"} if the sent type is absent or empty after trimming Unicode whitespace, else the
   * sent type unchanged.
   */
  public String taskType(int index) {
    return effectiveTypes[types[index]];
  }

  /** The canonical {@code params} of task {@code index}, parsed; JSON {@code null} if it had none. */
  public JsonValue params(int index) {
    int from = paramsStart[index];
    int len = paramsEnd[index] - from;
    if (len == 4 && params[from] == 'n') {
      return JsonNull.INSTANCE;
    }
    return PARAMS_READER.read(params, from, len);
  }

  /** The canonical {@code params} bytes of task {@code index}, as hashed; a fresh array. */
  public byte[] canonicalParams(int index) {
    return Arrays.copyOfRange(params, paramsStart[index], paramsEnd[index]);
  }

  /** The task hash of task {@code index}. */
  public Sha256Digest taskHash(int index) {
    Objects.checkIndex(index, taskCount);
    return Sha256Digest.of(Arrays.copyOfRange(taskHashes, index * 32, index * 32 + 32));
  }

  /** The number of distinct tasks that task {@code index} depends on. */
  public int inDegree(int index) {
    return inDegree[index];
  }

  /**
   * The number of distinct tasks that depend on task {@code index}: an edge listed twice makes
   * one dependency, so a dependent becomes ready once each of its distinct predecessors completed.
   */
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
    return DagCanonical.specBytes(this);
  }

  /**
   * This DAG as a spec in canonical order (tasks by id, edges by (from, to), repeated edges
   * kept), with each task's raw task type and canonical params: compiling it gives this DAG again.
   */
  public DagSpec toSpec() {
    List<DagSpec.Node> nodes = new ArrayList<>(taskCount);
    for (int i = 0; i < taskCount; i++) {
      nodes.add(new DagSpec.Node(taskIdString(i), workUnits[i], rawTaskType(i), params(i)));
    }
    List<DagSpec.Edge> edges = new ArrayList<>(edgeCount());
    int dup = 0;
    for (int from = 0; from < taskCount; from++) {
      for (int k = dependentStart[from]; k < dependentStart[from + 1]; k++) {
        int to = dependents[k];
        long key = ((long) from << 32) | to;
        DagSpec.Edge e = new DagSpec.Edge(taskIdString(from), taskIdString(to));
        edges.add(e);
        while (dup < duplicateEdges.length && duplicateEdges[dup] == key) {
          edges.add(e);
          dup++;
        }
      }
    }
    return new DagSpec(name, nodes, edges);
  }

  @Override
  public String toString() {
    return "ComputeDag[" + name + ", " + taskCount + " tasks, " + edgeCount() + " edges, root "
        + rootHash.hex() + "]";
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
