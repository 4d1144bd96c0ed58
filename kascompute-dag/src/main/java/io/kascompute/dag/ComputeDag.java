package io.kascompute.dag;

import io.kascompute.core.DagId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import java.util.OptionalInt;

/**
 * A validated, immutable ComputeDAG compiled into a compact form: tasks are numbered {@code 0 ..
 * taskCount()-1} in code-point order of their task ids, and dependencies are kept in primitive
 * arrays.
 */
public final class ComputeDag {
  static {
    io.kascompute.dag.internal.DagAccess.install(ComputeDag::new);
  }

  private final String name;
  private final Sha256Digest rootHash;
  private final TaskId[] taskIds;
  private final long[] workUnits;
  private final String[] taskTypes;
  private final Sha256Digest[] taskHashes;
  private final int[] inDegree;
  private final int[] dependentStart;
  private final int[] dependents;

  ComputeDag(
      String name,
      Sha256Digest rootHash,
      TaskId[] taskIds,
      long[] workUnits,
      String[] taskTypes,
      Sha256Digest[] taskHashes,
      int[] inDegree,
      int[] dependentStart,
      int[] dependents) {
    this.name = name;
    this.rootHash = rootHash;
    this.taskIds = taskIds;
    this.workUnits = workUnits;
    this.taskTypes = taskTypes;
    this.taskHashes = taskHashes;
    this.inDegree = inDegree;
    this.dependentStart = dependentStart;
    this.dependents = dependents;
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

  /** The task hash of task {@code index}. */
  public Sha256Digest taskHash(int index) {
    return taskHashes[index];
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
}
