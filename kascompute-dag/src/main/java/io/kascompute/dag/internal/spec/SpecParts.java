package io.kascompute.dag.internal.spec;

import io.kascompute.core.ErrorCode;
import java.util.Arrays;

/**
 * A DAG spec as read, before validation: the name, every node and every edge in document order,
 * with task ids and edge ends as numbers into one {@link ByteStrings} of UTF-8 ids, task types as
 * numbers into another, and each node's canonical {@code params} bytes back to back in one array.
 *
 * <p>The spec reader and the tree path ({@code DagSpec}) both fill one of these, and the compiler
 * reads it. A spec refused while it was read keeps the first refusal (see {@link #refuse}) and
 * stops growing, so that a refused document costs no more memory than a valid one.
 */
public final class SpecParts {
  /** The order in which {@code DagSpec.fromJson} and the compiler report what is wrong. */
  public enum Stage {
    /** The document is not an object. */
    DOCUMENT,
    /** The submit body's {@code spec} is missing or not an object. */
    SPEC,
    /** {@code name} is missing or not a string. */
    NAME,
    /** {@code nodes} is missing or not an array. */
    NODES,
    /** {@code edges} is missing or not an array. */
    EDGES,
    /** A node is malformed (ranked by node index). */
    NODE,
    /** An edge is malformed (ranked by edge index). */
    EDGE,
    /** Too many tasks. */
    TASK_COUNT,
    /** Too many edges. */
    EDGE_COUNT,
    /** The canonical spec is larger than its bound. */
    CANONICAL_SIZE,
    /** Nodes and edges name more distinct task ids than there may be tasks. */
    ID_COUNT
  }

  private String name;
  private long canonicalSize = -1;
  private final int maxIds;
  private final ByteStrings ids;
  private final ByteStrings types;

  private int nodeCount;
  private int[] nodeIds;
  private long[] workUnits;
  private int[] nodeTypes;
  private int[] paramsEnds;
  private byte[] params;
  private int paramsLength;

  private int edgeCount;
  private int[] edgeFrom;
  private int[] edgeTo;

  private Stage refusedAt;
  private long refusedIndex;
  private ErrorCode refusalCode;
  private String refusalMessage;

  /** Empty parts with room for about {@code expectedTasks} tasks, any number of distinct ids. */
  public SpecParts(int expectedTasks) {
    this(expectedTasks, Integer.MAX_VALUE);
  }

  /**
   * Empty parts with room for about {@code expectedTasks} tasks that keep at most {@code maxIds}
   * distinct task ids (node ids and edge ends together): a spec naming more has more ids than it
   * may have tasks, so an edge names an unknown task, and it is refused at {@link Stage#ID_COUNT}
   * before its ids take memory without bound.
   */
  public SpecParts(int expectedTasks, int maxIds) {
    this.maxIds = maxIds;
    int n = Math.max(4, expectedTasks);
    ids = new ByteStrings(n);
    types = new ByteStrings(8);
    nodeIds = new int[n];
    workUnits = new long[n];
    nodeTypes = new int[n];
    paramsEnds = new int[n];
    params = new byte[Math.max(64, n * 4)];
    edgeFrom = new int[2 * n];
    edgeTo = new int[2 * n];
  }

  // --- filling ----------------------------------------------------------------------------------

  /** Records the exact size of the canonical spec, as the reader computed it. */
  public void canonicalSize(long bytes) {
    canonicalSize = bytes;
  }

  /** The exact size of the canonical spec as the reader computed it; -1 if not computed. */
  public long canonicalSize() {
    return canonicalSize;
  }

  /** Sets the DAG name. */
  public void name(String value) {
    name = value;
  }

  /**
   * The id number of the UTF-8 task id {@code b[off .. off+len)}, added if new; -1, with the
   * refusal recorded, if it would be one distinct id too many.
   */
  public int id(byte[] b, int off, int len) {
    int k = ids.intern(b, off, len, maxIds);
    if (k < 0) {
      refuse(Stage.ID_COUNT, 0, ErrorCode.TOO_MANY_TASKS, "the nodes and edges name more than "
          + maxIds + " distinct task ids, the task limit (an edge names a task that is not in the"
          + " DAG)");
    }
    return k;
  }

  /** The type number of the raw UTF-8 task type {@code b[off .. off+len)}, added if new. */
  public int type(byte[] b, int off, int len) {
    return types.intern(b, off, len);
  }

  /**
   * Adds a node: its id and type numbers, its work units, and its canonical params, {@code len}
   * bytes of {@code p} from {@code off}.
   */
  public void node(int id, long units, int type, byte[] p, int off, int len) {
    if (nodeCount == nodeIds.length) {
      int n = nodeCount * 2;
      nodeIds = Arrays.copyOf(nodeIds, n);
      workUnits = Arrays.copyOf(workUnits, n);
      nodeTypes = Arrays.copyOf(nodeTypes, n);
      paramsEnds = Arrays.copyOf(paramsEnds, n);
    }
    if ((long) paramsLength + len > params.length) {
      long want = Math.max((long) params.length * 2, (long) paramsLength + len);
      params = Arrays.copyOf(params, (int) Math.min(want, Integer.MAX_VALUE - 8));
    }
    System.arraycopy(p, off, params, paramsLength, len);
    paramsLength += len;
    nodeIds[nodeCount] = id;
    workUnits[nodeCount] = units;
    nodeTypes[nodeCount] = type;
    paramsEnds[nodeCount] = paramsLength;
    nodeCount++;
  }

  /** Adds an edge between two id numbers. */
  public void edge(int from, int to) {
    if (edgeCount == edgeFrom.length) {
      edgeFrom = Arrays.copyOf(edgeFrom, edgeCount * 2);
      edgeTo = Arrays.copyOf(edgeTo, edgeCount * 2);
    }
    edgeFrom[edgeCount] = from;
    edgeTo[edgeCount] = to;
    edgeCount++;
  }

  /**
   * Records a refusal unless one that is reported first ({@code stage}, then {@code index}) is
   * already recorded; returns true if this one is now the recorded refusal.
   */
  public boolean refuse(Stage stage, long index, ErrorCode code, String message) {
    if (refusedAt != null) {
      int c = refusedAt.compareTo(stage);
      if (c < 0 || (c == 0 && refusedIndex <= index)) {
        return false;
      }
    }
    refusedAt = stage;
    refusedIndex = index;
    refusalCode = code;
    refusalMessage = message;
    return true;
  }

  // --- reading ----------------------------------------------------------------------------------

  /** True if a refusal is recorded; the parts are then incomplete. */
  public boolean refused() {
    return refusedAt != null;
  }

  /** The stage of the recorded refusal, or null. */
  public Stage refusedAt() {
    return refusedAt;
  }

  /** The code of the recorded refusal, or null. */
  public ErrorCode refusalCode() {
    return refusalCode;
  }

  /** The message of the recorded refusal, or null. */
  public String refusalMessage() {
    return refusalMessage;
  }

  /** The DAG name, or null if none was read. */
  public String name() {
    return name;
  }

  /** The task ids and edge ends. */
  public ByteStrings ids() {
    return ids;
  }

  /** The raw task types. */
  public ByteStrings types() {
    return types;
  }

  /** The number of nodes. */
  public int nodeCount() {
    return nodeCount;
  }

  /** The id number of node {@code i}. */
  public int nodeId(int i) {
    return nodeIds[i];
  }

  /** The work units of node {@code i}. */
  public long workUnits(int i) {
    return workUnits[i];
  }

  /** The type number of node {@code i}. */
  public int nodeType(int i) {
    return nodeTypes[i];
  }

  /** The array holding every node's canonical params. */
  public byte[] params() {
    return params;
  }

  /** Where node {@code i}'s canonical params start in {@link #params()}. */
  public int paramsStart(int i) {
    return i == 0 ? 0 : paramsEnds[i - 1];
  }

  /** Where node {@code i}'s canonical params end in {@link #params()}. */
  public int paramsEnd(int i) {
    return paramsEnds[i];
  }

  /** The number of edges. */
  public int edgeCount() {
    return edgeCount;
  }

  /** The id number of edge {@code j}'s {@code from}. */
  public int edgeFrom(int j) {
    return edgeFrom[j];
  }

  /** The id number of edge {@code j}'s {@code to}. */
  public int edgeTo(int j) {
    return edgeTo[j];
  }
}
