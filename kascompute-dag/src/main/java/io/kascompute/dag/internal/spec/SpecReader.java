package io.kascompute.dag.internal.spec;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.EcmaNumberFormatter;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.internal.Utf8;
import io.kascompute.dag.internal.spec.SpecParts.Stage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a DAG spec document in one pass over its bytes straight into {@link SpecParts}: no tree,
 * no intermediate records, each node's {@code params} written as canonical bytes as it is read.
 *
 * <p>It is exactly as strict as {@code StrictJsonReader} followed by {@code DagSpec.fromJson}:
 * every document either reads to the same spec or is refused with the same code, and a spec
 * refused for its content is refused at the same field. That takes three orders into account.
 * JSON faults come first and in document order, the first UTF-8 fault anywhere before any other
 * (the tree reader checks the bytes before it parses), a duplicate key only after its value was
 * read. Faults of content (a missing field, a wrong type, a value out of range) are only reported
 * once the whole document is known to be JSON, and in the order {@code DagSpec.fromJson} checks
 * them, whatever the order of the members: {@link SpecParts#refuse} keeps the first. And the
 * bounds that keep memory in check (task and edge counts, the canonical size) come after both,
 * as the compiler checks them after reading.
 *
 * <p>The JSON accepted is RFC 8259 as Jackson reads it with {@code ALLOW_NON_NUMERIC_NUMBERS}
 * and then refuses {@code NaN} and the infinities ({@code invalid_number}); its corners, which
 * decide between codes, are reproduced here: a root number must be followed by whitespace or the
 * end, a keyword or non-numeric token by a byte that cannot continue an identifier, numbers hold
 * at most 100,000 digits (integer, fraction and exponent together for a float) and must have a
 * finite double value.
 */
public final class SpecReader {
  /** What the document is. */
  public enum Shape {
    /** The body of {@code POST /v1/dags/submit}: {@code {"spec": {...}}}, other members ignored. */
    SUBMIT_BODY,
    /** A bare spec {@code {"name", "nodes", "edges"}}. */
    SPEC,
    /**
     * Either, as tools read files: a submit body if the object has no {@code nodes} member and
     * its {@code spec} is an object, else a bare spec.
     */
    SUBMIT_BODY_OR_SPEC
  }

  /** The most digits a number may have (integer, fraction and exponent together). */
  private static final int MAX_NUMBER_DIGITS = 100_000;
  /** Objects with more members than this check duplicates through a hash table. */
  private static final int LINEAR_MEMBERS = 8;
  /** 2^1024 - 2^970: the smallest integer whose nearest double is infinite. */
  private static final byte[] DOUBLE_OVERFLOW = ascii(
      java.math.BigInteger.TWO.pow(1024).subtract(java.math.BigInteger.TWO.pow(970)).toString());
  private static final byte[] MAX_I64_MAGNITUDE = ascii("9223372036854775808");
  private static final byte[] MAX_U64 = ascii("18446744073709551615");
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");
  private static final byte[] NAN = ascii("NaN");
  private static final byte[] INFINITY = ascii("Infinity");
  private static final byte[] INF = ascii("INF");

  // Field numbers of the objects the reader knows.
  private static final int OTHER = -1;
  private static final int TASK_ID = 0;
  private static final int WORK_UNITS = 1;
  private static final int TASK_TYPE = 2;
  private static final int PARAMS = 3;
  private static final int FROM = 0;
  private static final int TO = 1;
  private static final int NAME = 0;
  private static final int NODES = 1;
  private static final int EDGES = 2;
  private static final int SPEC = 3;

  // What a field held.
  private static final int ABSENT = 0;
  private static final int PRESENT = 1;
  private static final int WRONG = 2;

  private final byte[] in;
  private final int end;
  private final int maxDepth;
  private final int maxTasks;
  private final int maxEdges;
  private final long maxCanonical;

  // The string last scanned: its raw content (between the quotes), and whether it held escapes,
  // in which case its decoded UTF-8 is in dec.
  private int strStart;
  private int strEnd;
  private boolean strEscaped;
  private boolean strLone;
  // What escaping the string last scanned in canonical form adds to its decoded length.
  private long strExtra;
  // The member name last scanned: where it starts, and whether it holds a lone surrogate.
  private int nameAt;
  private boolean nameLone;
  private byte[] dec = new byte[256];
  private int decLen;

  // The number last scanned.
  private int numStart;
  private int numEnd;
  private boolean numInteger;
  private boolean numNegative;
  private int intDigits;
  private double numDouble;

  // Canonical output of the params value being read.
  private byte[] out = new byte[256];
  private int outLen;
  private int outLimit = Integer.MAX_VALUE - 16;
  private byte[] scratch = new byte[256];

  // Members of every object still open, innermost last: decoded name (in names), its hash, and
  // where the member's output starts and ends.
  private byte[] names = new byte[256];
  private int namesLen;
  private int[] memberName = new int[64];
  private int[] memberNameLen = new int[64];
  private int[] memberOut = new int[64];
  private int members;
  private final long nameSeed = java.util.concurrent.ThreadLocalRandom.current().nextLong();
  // Per depth: the hash table of the open object's member names, once it has many members.
  private int[][] tables;

  // Running counts and the canonical size seen so far, per spec being read.
  private long nodesSeen;
  private long edgesSeen;
  private long canonicalSize;

  private SpecReader(byte[] in, int maxDepth, int maxTasks, int maxEdges, long maxCanonical) {
    this.in = in;
    this.end = in.length;
    this.maxDepth = maxDepth;
    this.maxTasks = maxTasks;
    this.maxEdges = maxEdges;
    this.maxCanonical = maxCanonical;
    this.tables = new int[Math.min(maxDepth, 64) + 2][];
  }

  /**
   * Reads {@code doc}. JSON faults are thrown; faults of content and exceeded bounds are recorded
   * in the returned parts ({@link SpecParts#refused()}) for the caller to throw.
   *
   * @throws KasComputeException {@code body_too_large} beyond {@code maxBytes}, or the JSON fault
   *     that {@code StrictJsonReader} would report
   */
  public static SpecParts read(
      byte[] doc, Shape shape, int maxBytes, int maxDepth, int maxTasks, int maxEdges,
      long maxCanonicalBytes) {
    if (doc.length > maxBytes) {
      throw new KasComputeException(ErrorCode.BODY_TOO_LARGE,
          "document is " + doc.length + " bytes; the limit is " + maxBytes);
    }
    return new SpecReader(doc, maxDepth, maxTasks, maxEdges, maxCanonicalBytes).document(shape);
  }

  private SpecParts document(Shape shape) {
    int i = ws(0);
    if (i >= end) {
      throw fail(ErrorCode.MALFORMED_JSON, "document is empty", i);
    }
    SpecParts parts = new SpecParts(shape == Shape.SPEC ? expectedTasks() : 16, maxTasks);
    SpecParts chosen = parts;
    if (in[i] != '{') {
      String type = typeAt(i);
      i = rootValue(i);
      String what = switch (shape) {
        case SUBMIT_BODY -> "the body";
        case SPEC -> "the spec";
        case SUBMIT_BODY_OR_SPEC -> "the DAG file";
      };
      parts.refuse(Stage.DOCUMENT, 0, ErrorCode.WRONG_TYPE,
          what + " must be a JSON object, got " + type);
    } else if (shape == Shape.SPEC) {
      i = specObject(i + 1, 1, parts);
    } else {
      chosen = rootObject(i + 1, shape, parts);
      i = rootEnd;
    }
    i = ws(i);
    if (i < end) {
      throw fail(ErrorCode.TRAILING_DATA, "unexpected data after the JSON value", i);
    }
    return chosen;
  }

  private int expectedTasks() {
    return Math.min(Math.max(16, end / 128), Math.max(16, Math.min(maxTasks, 1 << 20)));
  }

  // --- the spec's own objects ------------------------------------------------------------------

  private int rootEnd;

  /**
   * Reads the members of a submit body (or, for tools, a body or a bare spec); returns the parts
   * that hold the spec and leaves the position after the object in {@link #rootEnd}.
   */
  private SpecParts rootObject(int i, Shape shape, SpecParts bare) {
    checkDepth(1, i - 1);
    boolean either = shape == Shape.SUBMIT_BODY_OR_SPEC;
    int base = members;
    int nameBase = namesLen;
    tables[1] = null;
    int seen = 0;
    int specState = ABSENT;
    String specType = null;
    SpecParts inner = null;
    boolean nodesKey = false;
    SpecState state = either ? new SpecState() : null;
    nodesSeen = 0;
    edgesSeen = 0;
    canonicalSize = 0;
    i = ws(i);
    if (i < end && in[i] == '}') {
      i++;
    } else {
      while (true) {
        int nameAt = i;
        i = memberName(i);
        int f = OTHER;
        if (nameIs("spec")) {
          f = SPEC;
        } else if (either) {
          f = specField();
        }
        i = afterName(i);
        if (f == OTHER) {
          i = unknownMember(i, 1, base, nameAt);
        } else if ((seen & (1 << f)) != 0) {
          throw duplicate(value(i, 1, false), nameAt);
        } else {
          seen |= 1 << f;
          if (f == SPEC) {
            if (i < end && in[i] == '{') {
              // A bare spec's own counts are kept apart from the inner one's.
              long nodes = nodesSeen;
              long edges = edgesSeen;
              long size = canonicalSize;
              nodesSeen = 0;
              edgesSeen = 0;
              canonicalSize = 0;
              inner = new SpecParts(expectedTasks(), maxTasks);
              i = specObject(i + 1, 2, inner);
              nodesSeen = nodes;
              edgesSeen = edges;
              canonicalSize = size;
              specState = PRESENT;
            } else if (isNull(i)) {
              i = value(i, 1, false);
            } else {
              specType = typeAt(i);
              specState = WRONG;
              i = value(i, 1, false);
            }
          } else {
            nodesKey |= f == NODES;
            i = specMember(f, i, 1, bare, state);
          }
        }
        i = ws(i);
        if (i >= end) {
          throw fail(ErrorCode.MALFORMED_JSON, "unterminated object", i);
        }
        if (in[i] == '}') {
          i++;
          break;
        }
        if (in[i] != ',') {
          throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or '}' after an object member", i);
        }
        i = ws(i + 1);
      }
    }
    members = base;
    namesLen = nameBase;
    rootEnd = i;
    if (either && (nodesKey || specState != PRESENT)) {
      finishSpec(bare, state);
      return bare;
    }
    if (specState == ABSENT) {
      bare.refuse(Stage.SPEC, 0, ErrorCode.MISSING_FIELD, "field spec is required");
      return bare;
    }
    if (specState == WRONG) {
      bare.refuse(Stage.SPEC, 0, ErrorCode.WRONG_TYPE,
          "field spec must be a JSON object, got " + specType);
      return bare;
    }
    return inner;
  }

  /** What a spec object's own fields held, while it is read. */
  private static final class SpecState {
    int name = ABSENT;
    int nodes = ABSENT;
    int edges = ABSENT;
    String nameType;
    String nodesType;
    String edgesType;
    long nodeCount;
    long edgeCount;
  }

  /** The field number among {@code name, nodes, edges} of the member name just read. */
  private int specField() {
    if (nameIs("name")) {
      return NAME;
    }
    if (nameIs("nodes")) {
      return NODES;
    }
    if (nameIs("edges")) {
      return EDGES;
    }
    return OTHER;
  }

  /** Reads the members of a spec object whose brace is just before {@code i}. */
  private int specObject(int i, int depth, SpecParts parts) {
    checkDepth(depth, i - 1);
    int base = members;
    int nameBase = namesLen;
    tables[tableSlot(depth)] = null;
    SpecState state = new SpecState();
    int seen = 0;
    i = ws(i);
    if (i < end && in[i] == '}') {
      i++;
    } else {
      while (true) {
        int nameAt = i;
        i = memberName(i);
        int f = specField();
        i = afterName(i);
        if (f == OTHER) {
          i = unknownMember(i, depth, base, nameAt);
        } else if ((seen & (1 << f)) != 0) {
          throw duplicate(value(i, depth, false), nameAt);
        } else {
          seen |= 1 << f;
          i = specMember(f, i, depth, parts, state);
        }
        i = ws(i);
        if (i >= end) {
          throw fail(ErrorCode.MALFORMED_JSON, "unterminated object", i);
        }
        if (in[i] == '}') {
          i++;
          break;
        }
        if (in[i] != ',') {
          throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or '}' after an object member", i);
        }
        i = ws(i + 1);
      }
    }
    members = base;
    namesLen = nameBase;
    finishSpec(parts, state);
    return i;
  }

  /** Reads the value of the spec field {@code f} (name, nodes or edges) at {@code i}. */
  private int specMember(int f, int i, int depth, SpecParts parts, SpecState state) {
    if (i >= end) {
      throw fail(ErrorCode.MALFORMED_JSON, "expected a value", i);
    }
    byte c = in[i];
    if (f == NAME) {
      if (c == '"') {
        i = string(i + 1);
        state.name = PRESENT;
        parts.name(new String(decoded(), decodedStart(), decodedLength(), StandardCharsets.UTF_8));
        // {"name":N,"nodes":[],"edges":[]}
        grow(parts, 31 + literalLength());
        return i;
      }
      if (!isNull(i)) {
        state.name = WRONG;
        state.nameType = typeAt(i);
      }
      return value(i, depth, false);
    }
    if (c != '[') {
      if (!isNull(i)) {
        if (f == NODES) {
          state.nodes = WRONG;
          state.nodesType = typeAt(i);
        } else {
          state.edges = WRONG;
          state.edgesType = typeAt(i);
        }
      }
      return value(i, depth, false);
    }
    if (f == NODES) {
      state.nodes = PRESENT;
      long before = nodesSeen;
      i = nodes(i + 1, depth + 1, parts);
      state.nodeCount = nodesSeen - before;
    } else {
      state.edges = PRESENT;
      long before = edgesSeen;
      i = edges(i + 1, depth + 1, parts);
      state.edgeCount = edgesSeen - before;
    }
    return i;
  }

  /** Records what is wrong with a spec object's own fields, the bounds it exceeds, its size. */
  private void finishSpec(SpecParts parts, SpecState s) {
    parts.canonicalSize(canonicalSize);
    if (s.name == ABSENT) {
      parts.refuse(Stage.NAME, 0, ErrorCode.MISSING_FIELD, "field name is required");
    } else if (s.name == WRONG) {
      parts.refuse(Stage.NAME, 0, ErrorCode.WRONG_TYPE,
          "field name must be a string, got " + s.nameType);
    }
    if (s.nodes == ABSENT) {
      parts.refuse(Stage.NODES, 0, ErrorCode.MISSING_FIELD, "field nodes is required");
    } else if (s.nodes == WRONG) {
      parts.refuse(Stage.NODES, 0, ErrorCode.WRONG_TYPE,
          "field nodes must be an array, got " + s.nodesType);
    }
    if (s.edges == ABSENT) {
      parts.refuse(Stage.EDGES, 0, ErrorCode.MISSING_FIELD, "field edges is required");
    } else if (s.edges == WRONG) {
      parts.refuse(Stage.EDGES, 0, ErrorCode.WRONG_TYPE,
          "field edges must be an array, got " + s.edgesType);
    }
    if (s.nodeCount > maxTasks) {
      parts.refuse(Stage.TASK_COUNT, 0, ErrorCode.TOO_MANY_TASKS,
          "the DAG has " + s.nodeCount + " tasks; the limit is " + maxTasks);
    }
    if (s.edgeCount > maxEdges) {
      parts.refuse(Stage.EDGE_COUNT, 0, ErrorCode.TOO_MANY_EDGES,
          "the DAG has " + s.edgeCount + " edges; the limit is " + maxEdges);
    }
  }

  /**
   * Adds {@code bytes} to the canonical size, which the reader computes exactly (every string's
   * literal, every params value's canonical form, whether or not it is kept); records the refusal
   * when it passes the bound.
   */
  private void grow(SpecParts parts, long bytes) {
    canonicalSize += bytes;
    if (canonicalSize > maxCanonical) {
      parts.refuse(Stage.CANONICAL_SIZE, 0, ErrorCode.VALUE_TOO_LARGE,
          "the canonical spec is more than " + maxCanonical + " bytes, the limit");
    }
  }

  /** Reads the elements of {@code nodes}, whose bracket is just before {@code i}. */
  private int nodes(int i, int depth, SpecParts parts) {
    checkDepth(depth, i - 1);
    i = ws(i);
    if (i < end && in[i] == ']') {
      return i + 1;
    }
    while (true) {
      long index = nodesSeen++;
      if (i < end && in[i] == '{') {
        i = node(i + 1, depth + 1, parts, index);
      } else {
        if (i < end && !isValueEnd(in[i])) {
          parts.refuse(Stage.NODE, index, ErrorCode.WRONG_TYPE,
              "nodes[" + index + "] must be a JSON object, got " + typeAt(i));
        }
        i = value(i, depth, false);
      }
      i = ws(i);
      if (i >= end) {
        throw fail(ErrorCode.MALFORMED_JSON, "unterminated array", i);
      }
      if (in[i] == ']') {
        return i + 1;
      }
      if (in[i] != ',') {
        throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or ']' after an array element", i);
      }
      i = ws(i + 1);
    }
  }

  /** Reads one node object whose brace is just before {@code i}. */
  private int node(int i, int depth, SpecParts parts, long index) {
    checkDepth(depth, i - 1);
    boolean store = !parts.refused() && index < maxTasks;
    int base = members;
    int nameBase = namesLen;
    tables[tableSlot(depth)] = null;
    int seen = 0;
    int idState = ABSENT;
    int unitsState = ABSENT;
    int typeState = ABSENT;
    String idType = null;
    String unitsProblem = null;
    ErrorCode unitsCode = null;
    String typeType = null;
    int id = -1;
    long idLiteral = 0;
    long units = 0;
    int type = -1;
    long typeLiteral = 0;
    boolean typeBlank = true;
    outLen = 0;
    boolean params = false;
    i = ws(i);
    if (i < end && in[i] == '}') {
      i++;
    } else {
      while (true) {
        int nameAt = i;
        i = memberName(i);
        int f = nodeField();
        i = afterName(i);
        if (f == OTHER) {
          i = unknownMember(i, depth, base, nameAt);
        } else if ((seen & (1 << f)) != 0) {
          throw duplicate(value(i, depth, false), nameAt);
        } else {
          seen |= 1 << f;
          if (i >= end) {
            throw fail(ErrorCode.MALFORMED_JSON, "expected a value", i);
          }
          byte c = in[i];
          switch (f) {
            case TASK_ID -> {
              if (c == '"') {
                i = string(i + 1);
                idState = PRESENT;
                idLiteral = literalLength();
                if (store) {
                  id = parts.id(decoded(), decodedStart(), decodedLength());
                }
              } else {
                if (!isNull(i)) {
                  idState = WRONG;
                  idType = typeAt(i);
                }
                i = value(i, depth, false);
              }
            }
            case WORK_UNITS -> {
              if (c == '-' || (c >= '0' && c <= '9')) {
                i = number(i, false);
                unitsState = PRESENT;
                unitsProblem = unsignedProblem();
                if (unitsProblem != null) {
                  unitsState = WRONG;
                  unitsCode = ErrorCode.FIELD_OUT_OF_RANGE;
                  unitsProblem = "nodes[" + index + "].work_units " + unitsProblem;
                } else {
                  units = unsignedValue();
                }
              } else {
                if (!isNull(i) && !isNonNumericStart(c)) {
                  unitsState = WRONG;
                  unitsCode = ErrorCode.WRONG_TYPE;
                  unitsProblem = "field nodes[" + index
                      + "].work_units must be an unsigned integer, got " + typeAt(i);
                }
                i = value(i, depth, false);
              }
            }
            case TASK_TYPE -> {
              if (c == '"') {
                i = string(i + 1);
                typeState = PRESENT;
                typeLiteral = literalLength();
                typeBlank = Whitespace.isBlank(decoded(), decodedStart(), decodedLength());
                if (store) {
                  type = parts.type(decoded(), decodedStart(), decodedLength());
                }
              } else {
                if (!isNull(i)) {
                  typeState = WRONG;
                  typeType = typeAt(i);
                }
                i = value(i, depth, false);
              }
            }
            default -> {
              params = true;
              // Written even when not kept: the canonical size counts it.
              boolean write = parts.refusedAt() == null
                  || parts.refusedAt().compareTo(Stage.CANONICAL_SIZE) > 0;
              i = params(i, depth, write && index < maxTasks, parts);
              store &= !parts.refused();
            }
          }
        }
        i = ws(i);
        if (i >= end) {
          throw fail(ErrorCode.MALFORMED_JSON, "unterminated object", i);
        }
        if (in[i] == '}') {
          i++;
          break;
        }
        if (in[i] != ',') {
          throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or '}' after an object member", i);
        }
        i = ws(i + 1);
      }
    }
    members = base;
    namesLen = nameBase;
    if (idState != PRESENT) {
      String path = "nodes[" + index + "]";
      parts.refuse(Stage.NODE, index, idState == ABSENT ? ErrorCode.MISSING_FIELD : ErrorCode.WRONG_TYPE,
          idState == ABSENT ? "field " + path + ".task_id is required"
              : "field " + path + ".task_id must be a string, got " + idType);
    } else if (unitsState != PRESENT) {
      String path = "nodes[" + index + "]";
      parts.refuse(Stage.NODE, index, unitsState == ABSENT ? ErrorCode.MISSING_FIELD : unitsCode,
          unitsState == ABSENT ? "field " + path + ".work_units is required" : unitsProblem);
    } else if (typeState == WRONG) {
      String path = "nodes[" + index + "]";
      parts.refuse(Stage.NODE, index, ErrorCode.WRONG_TYPE,
          "field " + path + ".task_type must be a string, got " + typeType);
    }
    if (!params) {
      out[0] = 'n';
      out[1] = 'u';
      out[2] = 'l';
      out[3] = 'l';
      outLen = 4;
    }
    if (index >= maxTasks) {
      return i;
    }
    // {"task_id":ID,"work_units":U,"task_type":T,"params":P} and the comma before it.
    grow(parts, (index == 0 ? 49 : 50) + idLiteral + digits(units) + (typeBlank ? 5 : typeLiteral)
        + outLen);
    if (store && !parts.refused()) {
      if (type < 0) {
        type = parts.type(out, 0, 0);
      }
      parts.node(id, units, type, out, 0, outLen);
    }
    return i;
  }

  private static int digits(long unsigned) {
    if (unsigned < 0) {
      return 20;
    }
    int n = 1;
    for (long v = unsigned; v >= 10; v /= 10) {
      n++;
    }
    return n;
  }

  /**
   * Reads a node's {@code params} value at {@code i}, writing its canonical form if {@code
   * write}. If that form would take the canonical spec past its bound, the refusal is recorded
   * and the value is read again without writing, so that no value costs more memory than the
   * bound allows.
   */
  private int params(int i, int depth, boolean write, SpecParts parts) {
    if (!write) {
      return value(i, depth, false);
    }
    int base = members;
    int nameBase = namesLen;
    outLimit = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(0, maxCanonical - canonicalSize));
    try {
      return value(i, depth, true);
    } catch (Overflow e) {
      members = base;
      namesLen = nameBase;
      outLen = 0;
      parts.refuse(Stage.CANONICAL_SIZE, 0, ErrorCode.VALUE_TOO_LARGE,
          "the canonical spec is more than " + maxCanonical + " bytes, the limit");
      return value(i, depth, false);
    } finally {
      outLimit = Integer.MAX_VALUE - 16;
    }
  }

  /** Thrown by the output when a params value outgrows the canonical bound; caught by {@link #params}. */
  private static final class Overflow extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Overflow INSTANCE = new Overflow();

    private Overflow() {
      super(null, null, false, false);
    }
  }

  /** The field number among the node fields of the member name just read. */
  private int nodeField() {
    return switch (decodedLength()) {
      case 7 -> nameIs("task_id") ? TASK_ID : OTHER;
      case 10 -> nameIs("work_units") ? WORK_UNITS : OTHER;
      case 9 -> nameIs("task_type") ? TASK_TYPE : OTHER;
      case 6 -> nameIs("params") ? PARAMS : OTHER;
      default -> OTHER;
    };
  }

  /** Reads the elements of {@code edges}, whose bracket is just before {@code i}. */
  private int edges(int i, int depth, SpecParts parts) {
    checkDepth(depth, i - 1);
    i = ws(i);
    if (i < end && in[i] == ']') {
      return i + 1;
    }
    while (true) {
      long index = edgesSeen++;
      byte c = i < end ? in[i] : 0;
      if (c == '{') {
        i = edgeObject(i + 1, depth + 1, parts, index);
      } else if (c == '[') {
        i = edgeArray(i + 1, depth + 1, parts, index);
      } else {
        if (i < end && !isValueEnd(c)) {
          parts.refuse(Stage.EDGE, index, ErrorCode.WRONG_TYPE, "field edges[" + index
              + "] must be an object {from, to} or an array [from, to], got " + typeAt(i));
        }
        i = value(i, depth, false);
      }
      i = ws(i);
      if (i >= end) {
        throw fail(ErrorCode.MALFORMED_JSON, "unterminated array", i);
      }
      if (in[i] == ']') {
        return i + 1;
      }
      if (in[i] != ',') {
        throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or ']' after an array element", i);
      }
      i = ws(i + 1);
    }
  }

  /** Reads one edge object whose brace is just before {@code i}. */
  private int edgeObject(int i, int depth, SpecParts parts, long index) {
    checkDepth(depth, i - 1);
    boolean store = !parts.refused() && index < maxEdges;
    int base = members;
    int nameBase = namesLen;
    tables[tableSlot(depth)] = null;
    int seen = 0;
    int fromState = ABSENT;
    int toState = ABSENT;
    String fromType = null;
    String toType = null;
    int from = -1;
    int to = -1;
    long size = 0;
    i = ws(i);
    if (i < end && in[i] == '}') {
      i++;
    } else {
      while (true) {
        int nameAt = i;
        i = memberName(i);
        int f = nameIs("from") ? FROM : nameIs("to") ? TO : OTHER;
        i = afterName(i);
        if (f == OTHER) {
          i = unknownMember(i, depth, base, nameAt);
        } else if ((seen & (1 << f)) != 0) {
          throw duplicate(value(i, depth, false), nameAt);
        } else {
          seen |= 1 << f;
          if (i < end && in[i] == '"') {
            i = string(i + 1);
            size += literalLength();
            int id = store ? parts.id(decoded(), decodedStart(), decodedLength()) : -1;
            if (f == FROM) {
              fromState = PRESENT;
              from = id;
            } else {
              toState = PRESENT;
              to = id;
            }
          } else {
            if (i < end && !isNull(i)) {
              if (f == FROM) {
                fromState = WRONG;
                fromType = typeAt(i);
              } else {
                toState = WRONG;
                toType = typeAt(i);
              }
            }
            i = value(i, depth, false);
          }
        }
        i = ws(i);
        if (i >= end) {
          throw fail(ErrorCode.MALFORMED_JSON, "unterminated object", i);
        }
        if (in[i] == '}') {
          i++;
          break;
        }
        if (in[i] != ',') {
          throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or '}' after an object member", i);
        }
        i = ws(i + 1);
      }
    }
    members = base;
    namesLen = nameBase;
    if (fromState != PRESENT || toState != PRESENT) {
      boolean first = fromState != PRESENT;
      int state = first ? fromState : toState;
      String field = "edges[" + index + "]" + (first ? ".from" : ".to");
      parts.refuse(Stage.EDGE, index,
          state == ABSENT ? ErrorCode.MISSING_FIELD : ErrorCode.WRONG_TYPE,
          state == ABSENT ? "field " + field + " is required"
              : "field " + field + " must be a string, got " + (first ? fromType : toType));
      return i;
    }
    addEdge(parts, index, store, from, to, size);
    return i;
  }

  /** Reads one edge array {@code [from, to]} whose bracket is just before {@code i}. */
  private int edgeArray(int i, int depth, SpecParts parts, long index) {
    checkDepth(depth, i - 1);
    boolean store = !parts.refused() && index < maxEdges;
    int count = 0;
    int from = -1;
    int to = -1;
    String wrong0 = null;
    String wrong1 = null;
    long size = 0;
    i = ws(i);
    if (i < end && in[i] == ']') {
      i++;
    } else {
      while (true) {
        if (count < 2 && i < end && in[i] == '"') {
          i = string(i + 1);
          size += literalLength();
          if (store) {
            int id = parts.id(decoded(), decodedStart(), decodedLength());
            if (count == 0) {
              from = id;
            } else {
              to = id;
            }
          }
        } else {
          if (count < 2 && i < end && !isValueEnd(in[i])) {
            if (count == 0) {
              wrong0 = typeAt(i);
            } else {
              wrong1 = typeAt(i);
            }
          }
          i = value(i, depth, false);
        }
        count++;
        i = ws(i);
        if (i >= end) {
          throw fail(ErrorCode.MALFORMED_JSON, "unterminated array", i);
        }
        if (in[i] == ']') {
          i++;
          break;
        }
        if (in[i] != ',') {
          throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or ']' after an array element", i);
        }
        i = ws(i + 1);
      }
    }
    if (count != 2 || wrong0 != null || wrong1 != null) {
      String path = "field edges[" + index + "]";
      parts.refuse(Stage.EDGE, index, ErrorCode.WRONG_TYPE, count != 2
          ? path + " must be an array of two task ids, got " + count + " elements"
          : wrong0 != null ? path + "[0] must be a string, got " + wrong0
          : path + "[1] must be a string, got " + wrong1);
      return i;
    }
    addEdge(parts, index, store, from, to, size);
    return i;
  }

  private void addEdge(SpecParts parts, long index, boolean store, int from, int to, long size) {
    if (index >= maxEdges) {
      return;
    }
    // {"from":F,"to":T} and the comma before it.
    grow(parts, (index == 0 ? 15 : 16) + size);
    if (store && !parts.refused()) {
      parts.edge(from, to);
    }
  }

  /** Reads a member of a spec object that the spec does not define: checked, not kept. */
  private int unknownMember(int i, int depth, int base, int nameAt) {
    int m = pushMember(depth);
    i = value(i, depth, false);
    checkDuplicate(m, base, depth, nameAt);
    return i;
  }

  // --- member names ----------------------------------------------------------------------------

  /**
   * Scans a member name at {@code i} (its opening quote); returns the position after it. A lone
   * surrogate in it is refused by {@link #afterName}, not here.
   */
  private int memberName(int i) {
    if (i >= end || in[i] != '"') {
      throw fail(ErrorCode.MALFORMED_JSON, "expected a member name in double quotes", i);
    }
    nameAt = i;
    int j = scan(i + 1);
    nameLone = strLone;
    return j;
  }

  /**
   * Reads the colon after a member name and returns where its value starts. A name holding a lone
   * surrogate is refused here, at the point the tree reader refuses it: its parser reads the
   * colon and the first token of the value (a keyword, a number's digits, a non-numeric token)
   * before the name is checked, so faults of those come first.
   */
  private int afterName(int i) {
    i = ws(expectColon(ws(i)));
    if (nameLone) {
      lexValueStart(i);
      throw fail(ErrorCode.INVALID_UTF8, "member name holds a lone surrogate", nameAt);
    }
    return i;
  }

  /** Refuses what the tree reader's parser refuses while reading the first token of a value. */
  private void lexValueStart(int i) {
    byte c = i < end ? in[i] : 0;
    switch (c) {
      case '"', '{', '[' -> { }
      case 't' -> literalToken(i, TRUE);
      case 'f' -> literalToken(i, FALSE);
      case 'n' -> literalToken(i, NULL);
      case 'N', 'I', '+' -> {
        KasComputeException e = nonNumeric(i);
        if (e.code() != ErrorCode.INVALID_NUMBER) {
          throw e;
        }
      }
      default -> {
        if (c == '-' && i + 1 < end && in[i + 1] == 'I') {
          KasComputeException e = nonNumeric(i);
          if (e.code() != ErrorCode.INVALID_NUMBER) {
            throw e;
          }
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          numberToken(i, false);
        } else {
          throw fail(ErrorCode.MALFORMED_JSON, "unexpected character, expected a value", i);
        }
      }
    }
  }

  private int expectColon(int i) {
    if (i >= end || in[i] != ':') {
      throw fail(ErrorCode.MALFORMED_JSON, "expected ':' after a member name", i);
    }
    return i + 1;
  }

  /** True if the member name just read is {@code ascii}. */
  private boolean nameIs(String ascii) {
    int n = ascii.length();
    if (decodedLength() != n) {
      return false;
    }
    byte[] b = decoded();
    int at = decodedStart();
    for (int k = 0; k < n; k++) {
      if (b[at + k] != ascii.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Pushes the member name just read onto the open objects' members; returns its number. */
  private int pushMember(int depth) {
    int n = decodedLength();
    if (namesLen + n > names.length) {
      names = Arrays.copyOf(names, Math.max(names.length * 2, namesLen + n));
    }
    System.arraycopy(decoded(), decodedStart(), names, namesLen, n);
    if (members == memberName.length) {
      int cap = members * 2;
      memberName = Arrays.copyOf(memberName, cap);
      memberNameLen = Arrays.copyOf(memberNameLen, cap);
      memberOut = Arrays.copyOf(memberOut, cap);
    }
    int m = members++;
    memberName[m] = namesLen;
    memberNameLen[m] = n;
    namesLen += n;
    return m;
  }

  /** A hash of member {@code m}'s name, seeded per reader so that no input can make names collide. */
  private int nameHash(int m) {
    long h = nameSeed ^ memberNameLen[m];
    for (int k = memberName[m]; k < memberName[m] + memberNameLen[m]; k++) {
      h = (h ^ names[k]) * 0x9E3779B97F4A7C15L;
    }
    h ^= h >>> 31;
    h *= 0xD6E8FEB86659FD93L;
    return (int) (h ^ (h >>> 32));
  }

  private int compareNames(int a, int b) {
    return Arrays.compareUnsigned(names, memberName[a], memberName[a] + memberNameLen[a],
        names, memberName[b], memberName[b] + memberNameLen[b]);
  }

  /**
   * Refuses member {@code m} of the object whose members start at {@code base} if an earlier
   * member has its name, as the tree reader does once the member's value is read. A member whose
   * name sorts after every earlier one needs no search.
   */
  private void checkDuplicate(int m, int base, int depth, int nameAt) {
    int count = m - base;
    if (count == 0) {
      return;
    }
    int slot = tableSlot(depth);
    int[] table = tables[slot];
    if (table == null && count > LINEAR_MEMBERS) {
      table = new int[Integer.highestOneBit(count) * 4];
      tables[slot] = table;
      for (int k = base; k < m; k++) {
        insert(table, k);
      }
    }
    if (table != null) {
      if (count * 2 >= table.length) {
        table = new int[table.length * 2];
        tables[slot] = table;
        for (int k = base; k < m; k++) {
          insert(table, k);
        }
      }
      if (!insert(table, m)) {
        throw duplicate(nameAt, nameAt);
      }
      return;
    }
    if (compareNames(m - 1, m) < 0 && sortedBefore(base, m)) {
      return;
    }
    for (int k = base; k < m; k++) {
      if (compareNames(k, m) == 0) {
        throw duplicate(nameAt, nameAt);
      }
    }
  }

  /** True if the names of members {@code base .. m-1} are strictly increasing (few, so cheap). */
  private boolean sortedBefore(int base, int m) {
    for (int k = base + 1; k < m; k++) {
      if (compareNames(k - 1, k) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Inserts member {@code m} into a name table; false if a member with its name is there. */
  private boolean insert(int[] table, int m) {
    int mask = table.length - 1;
    int slot = nameHash(m) & mask;
    while (table[slot] != 0) {
      int k = table[slot] - 1;
      if (compareNames(k, m) == 0) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    table[slot] = m + 1;
    return true;
  }

  private int tableSlot(int depth) {
    if (depth >= tables.length) {
      tables = Arrays.copyOf(tables, Math.max(depth + 1, tables.length * 2));
    }
    return depth;
  }

  private KasComputeException duplicate(int valueEnd, int nameAt) {
    // Decode the name again for the message: the member stack may have moved on.
    string(nameAt + 1);
    String name = new String(decoded(), decodedStart(), Math.min(decodedLength(), 64),
        StandardCharsets.UTF_8);
    return fail(ErrorCode.DUPLICATE_KEY, "duplicate key \"" + printable(name) + "\"", nameAt);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp < 0x20) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }

  // --- generic values --------------------------------------------------------------------------

  /**
   * Scans the value at {@code i} inside a container of the given depth, writing its canonical
   * form to {@link #out} if {@code write}; returns the position after it.
   */
  private int value(int i, int depth, boolean write) {
    if (i >= end) {
      throw fail(ErrorCode.MALFORMED_JSON, "unexpected end of input, expected a value", i);
    }
    byte c = in[i];
    switch (c) {
      case '{':
        return object(i + 1, depth + 1, write);
      case '[':
        return array(i + 1, depth + 1, write);
      case '"': {
        int j = string(i + 1);
        if (write) {
          writeString();
        }
        return j;
      }
      case 't':
        return literal(i, TRUE, write);
      case 'f':
        return literal(i, FALSE, write);
      case 'n':
        return literal(i, NULL, write);
      case 'N':
      case 'I':
      case '+':
        throw nonNumeric(i);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          int j = number(i, false);
          if (write) {
            writeNumber();
          }
          return j;
        }
        throw fail(ErrorCode.MALFORMED_JSON, "unexpected character, expected a value", i);
    }
  }

  /** Scans a root value that is not an object: the rules after a root scalar differ. */
  private int rootValue(int i) {
    byte c = in[i];
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number(i, true);
    }
    return value(i, 0, false);
  }

  private int array(int i, int depth, boolean write) {
    checkDepth(depth, i - 1);
    if (write) {
      put((byte) '[');
    }
    i = ws(i);
    if (i < end && in[i] == ']') {
      if (write) {
        put((byte) ']');
      }
      return i + 1;
    }
    while (true) {
      i = ws(value(i, depth, write));
      if (i >= end) {
        throw fail(ErrorCode.MALFORMED_JSON, "unterminated array", i);
      }
      byte c = in[i];
      if (c == ']') {
        if (write) {
          put((byte) ']');
        }
        return i + 1;
      }
      if (c != ',') {
        throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or ']' after an array element", i);
      }
      if (write) {
        put((byte) ',');
      }
      i = ws(i + 1);
    }
  }

  private int object(int i, int depth, boolean write) {
    checkDepth(depth, i - 1);
    int slot = tableSlot(depth);
    tables[slot] = null;
    if (write) {
      put((byte) '{');
    }
    int start = outLen;
    int base = members;
    int nameBase = namesLen;
    boolean sorted = true;
    i = ws(i);
    if (i < end && in[i] == '}') {
      if (write) {
        put((byte) '}');
      }
      return i + 1;
    }
    while (true) {
      int nameAt = i;
      i = memberName(i);
      int m = pushMember(depth);
      if (write) {
        memberOut[m] = outLen;
        writeName(m);
      }
      i = ws(value(afterName(i), depth, write));
      checkDuplicate(m, base, depth, nameAt);
      if (m > base && compareNames(m - 1, m) > 0) {
        sorted = false;
      }
      if (i >= end) {
        throw fail(ErrorCode.MALFORMED_JSON, "unterminated object", i);
      }
      byte c = in[i];
      if (c == '}') {
        break;
      }
      if (c != ',') {
        throw fail(ErrorCode.MALFORMED_JSON, "expected ',' or '}' after an object member", i);
      }
      if (write) {
        put((byte) ',');
      }
      i = ws(i + 1);
    }
    if (write && !sorted) {
      reorder(start, base, members - base);
    }
    members = base;
    namesLen = nameBase;
    tables[slot] = null;
    if (base == 0 && memberName.length > 1 << 16) {
      // The last open object was a huge one: let its member arrays go.
      memberName = new int[64];
      memberNameLen = new int[64];
      memberOut = new int[64];
      names = new byte[256];
    }
    if (write) {
      put((byte) '}');
    }
    return i + 1;
  }

  /** Rewrites the output of the {@code n} members from {@code base}, written after {@code start}, in name order. */
  private void reorder(int start, int base, int n) {
    // Member numbers in name order: a merge sort, which needs one more int array and no keys.
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = base + k;
    }
    sortMembers(order, new int[n], 0, n);
    int size = outLen - start;
    if (scratch.length < size) {
      scratch = new byte[size];
    }
    System.arraycopy(out, start, scratch, 0, size);
    int p = start;
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        out[p++] = ',';
      }
      int m = order[k];
      // A member's output runs to the comma before the next member's, the last one's to the end.
      int len = (m + 1 < base + n ? memberOut[m + 1] - 1 : outLen) - memberOut[m];
      System.arraycopy(scratch, memberOut[m] - start, out, p, len);
      p += len;
    }
  }

  private void sortMembers(int[] order, int[] tmp, int lo, int hi) {
    if (hi - lo <= 16) {
      for (int k = lo + 1; k < hi; k++) {
        int m = order[k];
        int j = k - 1;
        while (j >= lo && compareNames(order[j], m) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = m;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    sortMembers(order, tmp, lo, mid);
    sortMembers(order, tmp, mid, hi);
    if (compareNames(order[mid - 1], order[mid]) <= 0) {
      return;
    }
    System.arraycopy(order, lo, tmp, lo, hi - lo);
    int a = lo;
    int b = mid;
    for (int k = lo; k < hi; k++) {
      if (b >= hi || (a < mid && compareNames(tmp[a], tmp[b]) <= 0)) {
        order[k] = tmp[a++];
      } else {
        order[k] = tmp[b++];
      }
    }
  }

  private int literal(int i, byte[] word, boolean write) {
    int n = word.length;
    literalToken(i, word);
    if (write) {
      ensure(n);
      System.arraycopy(word, 0, out, outLen, n);
      outLen += n;
    }
    return i + n;
  }

  /** Refuses anything at {@code i} but the keyword {@code word} standing alone. */
  private void literalToken(int i, byte[] word) {
    int n = word.length;
    if (end - i < n || !Arrays.equals(in, i, i + n, word, 0, n) || continuesToken(i + n)) {
      throw fail(ErrorCode.MALFORMED_JSON, "unrecognized token", i);
    }
  }

  /**
   * True if the byte at {@code i} would make the keyword before it part of a longer token, as
   * Jackson decides it: a byte from '0' up, other than ']' and '}', that is an identifier
   * character (ASCII letters and digits, '_', DEL) or not ASCII.
   */
  private boolean continuesToken(int i) {
    if (i >= end) {
      return false;
    }
    int b = in[i] & 0xff;
    if (b < '0' || b == ']' || b == '}') {
      return false;
    }
    return b >= 0x7f || b == '_' || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z')
        || (b >= 'a' && b <= 'z');
  }

  private boolean isNull(int i) {
    return i < end && in[i] == 'n';
  }

  /** True if a value at this byte cannot start: it ends a container or separates elements. */
  private static boolean isValueEnd(byte c) {
    return c == ']' || c == '}' || c == ',';
  }

  private static boolean isNonNumericStart(byte c) {
    return c == 'N' || c == 'I' || c == '+';
  }

  /** The JSON type name of the value starting at {@code i}, as {@code JsonValue.typeName} gives it. */
  private String typeAt(int i) {
    if (i >= end) {
      return "nothing"; // the value is missing: reading it refuses the document
    }
    return switch (in[i]) {
      case '{' -> "object";
      case '[' -> "array";
      case '"' -> "string";
      case 't', 'f' -> "boolean";
      case 'n' -> "null";
      default -> "number";
    };
  }

  private void checkDepth(int depth, int at) {
    if (depth > maxDepth) {
      throw fail(ErrorCode.NESTING_TOO_DEEP, "nesting deeper than " + maxDepth + " levels", at);
    }
  }

  private int ws(int i) {
    byte[] b = in;
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  // --- strings ---------------------------------------------------------------------------------

  /** The array holding the decoded UTF-8 of the string last scanned. */
  private byte[] decoded() {
    return strEscaped ? dec : in;
  }

  private int decodedStart() {
    return strEscaped ? 0 : strStart;
  }

  /** The length of the canonical literal of the string last scanned, quotes included. */
  private long literalLength() {
    return decodedLength() + 2L + strExtra;
  }

  private int decodedLength() {
    return strEscaped ? decLen : strEnd - strStart;
  }

  /**
   * Scans the string value whose opening quote is just before {@code i}, checking its UTF-8 and
   * escapes as the tree reader does, a lone surrogate included; returns the position after the
   * closing quote.
   */
  private int string(int i) {
    int j = scan(i);
    if (strLone) {
      throw fail(ErrorCode.INVALID_UTF8, "string holds a lone surrogate", i - 1);
    }
    return j;
  }

  /** As {@link #string}, but a lone surrogate only sets {@link #strLone}. */
  private int scan(int i) {
    strStart = i;
    strEscaped = false;
    strLone = false;
    strExtra = 0;
    byte[] b = in;
    int e = end;
    while (true) {
      while (i + 8 <= e) {
        long special = notPlain((long) LONGS.get(b, i));
        if (special != 0) {
          i += Long.numberOfTrailingZeros(special) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= e) {
        throw fail(ErrorCode.MALFORMED_JSON, "unterminated string", strStart - 1);
      }
      int c = b[i];
      if (c == '"') {
        strEnd = i;
        return i + 1;
      }
      if (c == '\\') {
        return escapedString(i);
      }
      if (c < 0) {
        int n = Utf8.sequenceLength(b, i, e);
        if (n <= 0) {
          throw fail(ErrorCode.INVALID_UTF8, "invalid UTF-8", i);
        }
        i += n;
      } else if (c < 0x20) {
        throw fail(ErrorCode.MALFORMED_JSON, "unescaped control character in a string", i);
      } else {
        i++;
      }
    }
  }

  /**
   * The high bit of each byte of a little-endian word that is a quote, a backslash, a control
   * character or not ASCII; bits above the lowest may be spurious, the lowest is exact.
   */
  private static long notPlain(long word) {
    long quote = word ^ 0x2222222222222222L;
    long backslash = word ^ 0x5c5c5c5c5c5c5c5cL;
    return ((quote - ONES) & ~quote
            | (backslash - ONES) & ~backslash
            | (word - 0x2020202020202020L) & ~word
            | word)
        & HIGH_BITS;
  }

  /** Continues a string at its first backslash, {@code i}, decoding it into {@link #dec}. */
  private int escapedString(int i) {
    strEscaped = true;
    byte[] b = in;
    int e = end;
    int n = i - strStart;
    decLen = 0;
    decRoom(n + 16);
    System.arraycopy(b, strStart, dec, 0, n);
    decLen = n;
    int pendingHigh = -1;
    boolean lone = false;
    while (true) {
      if (i >= e) {
        throw fail(ErrorCode.MALFORMED_JSON, "unterminated string", strStart - 1);
      }
      int c = b[i];
      if (c == '\\') {
        if (i + 1 >= e) {
          throw fail(ErrorCode.MALFORMED_JSON, "unterminated string", strStart - 1);
        }
        int x = b[i + 1];
        int cp;
        switch (x) {
          case '"' -> cp = '"';
          case '\\' -> cp = '\\';
          case '/' -> cp = '/';
          case 'b' -> cp = '\b';
          case 'f' -> cp = '\f';
          case 'n' -> cp = '\n';
          case 'r' -> cp = '\r';
          case 't' -> cp = '\t';
          case 'u' -> cp = hex4(i + 2);
          default -> throw fail(ErrorCode.MALFORMED_JSON, "invalid escape in a string", i);
        }
        i += x == 'u' ? 6 : 2;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          if (pendingHigh >= 0) {
            lone = true;
          }
          pendingHigh = cp;
          continue;
        }
        if (cp >= 0xdc00 && cp <= 0xdfff) {
          if (pendingHigh >= 0) {
            putDecoded(Character.toCodePoint((char) pendingHigh, (char) cp));
            pendingHigh = -1;
          } else {
            lone = true;
          }
          continue;
        }
        if (pendingHigh >= 0) {
          lone = true;
          pendingHigh = -1;
        }
        if (cp < 0x20 || cp == '"' || cp == '\\') {
          strExtra += cp == '"' || cp == '\\' || cp == '\b' || cp == '\t' || cp == '\n'
              || cp == '\f' || cp == '\r' ? 1 : 5;
        }
        putDecoded(cp);
        continue;
      }
      if (pendingHigh >= 0) {
        lone = true;
        pendingHigh = -1;
      }
      if (c == '"') {
        strLone = lone;
        strEnd = i;
        return i + 1;
      }
      if (c < 0) {
        int len = Utf8.sequenceLength(b, i, e);
        if (len <= 0) {
          throw fail(ErrorCode.INVALID_UTF8, "invalid UTF-8", i);
        }
        decRoom(len);
        System.arraycopy(b, i, dec, decLen, len);
        decLen += len;
        i += len;
      } else if (c < 0x20) {
        throw fail(ErrorCode.MALFORMED_JSON, "unescaped control character in a string", i);
      } else {
        decRoom(1);
        dec[decLen++] = (byte) c;
        i++;
      }
    }
  }

  /** The value of the four hex digits at {@code i}; refuses anything else. */
  private int hex4(int i) {
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int d = k < end ? hexDigit(in[k]) : -1;
      if (d < 0) {
        throw fail(ErrorCode.MALFORMED_JSON, "expected a hex digit in a \\u escape", k);
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private static int hexDigit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    int lower = b | 0x20;
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  private void decRoom(int n) {
    if (decLen + n > dec.length) {
      dec = Arrays.copyOf(dec, Math.max(dec.length * 2, decLen + n));
    }
  }

  private void putDecoded(int cp) {
    decRoom(4);
    byte[] o = dec;
    int p = decLen;
    if (cp < 0x80) {
      o[p++] = (byte) cp;
    } else if (cp < 0x800) {
      o[p++] = (byte) (0xc0 | (cp >> 6));
      o[p++] = (byte) (0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      o[p++] = (byte) (0xe0 | (cp >> 12));
      o[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      o[p++] = (byte) (0x80 | (cp & 0x3f));
    } else {
      o[p++] = (byte) (0xf0 | (cp >> 18));
      o[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      o[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      o[p++] = (byte) (0x80 | (cp & 0x3f));
    }
    decLen = p;
  }

  /** Writes the string last scanned in canonical form: minimal escaping, raw UTF-8. */
  private void writeString() {
    if (!strEscaped) {
      int n = strEnd - strStart;
      ensure(n + 2);
      out[outLen++] = '"';
      System.arraycopy(in, strStart, out, outLen, n);
      outLen += n;
      out[outLen++] = '"';
    } else {
      writeEscaped(dec, 0, decLen);
    }
  }

  /** Writes member {@code m}'s name and a colon in canonical form. */
  private void writeName(int m) {
    writeEscaped(names, memberName[m], memberNameLen[m]);
    put((byte) ':');
  }

  private void writeEscaped(byte[] b, int off, int n) {
    long size = JsonWriter.literalLength(b, off, n);
    ensure((int) Math.min(size, Integer.MAX_VALUE - 16));
    outLen = JsonWriter.writeLiteral(b, off, n, out, outLen);
  }

  // --- numbers ---------------------------------------------------------------------------------

  /**
   * Scans the number at {@code i} and checks that it has a finite double value, as the tree
   * reader does; a root number must be followed by whitespace or the end.
   */
  private int number(int i, boolean root) {
    i = numberToken(i, root);
    if (numInteger) {
      if (intDigits > DOUBLE_OVERFLOW.length || (intDigits == DOUBLE_OVERFLOW.length
          && Arrays.compare(in, numEnd - intDigits, numEnd, DOUBLE_OVERFLOW, 0,
              DOUBLE_OVERFLOW.length) >= 0)) {
        throw fail(ErrorCode.INVALID_NUMBER, "number has no finite IEEE-754 double value",
            numStart);
      }
    } else {
      numDouble = parse();
      if (!Double.isFinite(numDouble)) {
        throw fail(ErrorCode.INVALID_NUMBER, "number overflows a double", numStart);
      }
    }
    return i;
  }

  /**
   * Scans the number at {@code i} as the tree reader's parser reads a number token: its grammar,
   * the root rule, and at most 100,000 digits in a float; not its value.
   */
  private int numberToken(int i, boolean root) {
    byte[] b = in;
    numStart = i;
    numNegative = b[i] == '-';
    if (numNegative) {
      i++;
      if (i < end && b[i] == 'I') {
        throw nonNumeric(numStart);
      }
      if (i >= end || b[i] < '0' || b[i] > '9') {
        throw fail(ErrorCode.MALFORMED_JSON, "a minus sign must be followed by a digit", i);
      }
    }
    int intStart = i;
    if (b[i] == '0') {
      i++;
      if (i < end && b[i] >= '0' && b[i] <= '9') {
        throw fail(ErrorCode.MALFORMED_JSON, "leading zeroes are not allowed", i);
      }
    } else {
      i = digits(i + 1);
    }
    int intDigits = i - intStart;
    int fractionDigits = 0;
    int exponentDigits = 0;
    numInteger = true;
    if (i < end && b[i] == '.') {
      int f = ++i;
      i = digits(i);
      if (i == f) {
        throw fail(ErrorCode.MALFORMED_JSON, "a decimal point must be followed by a digit", i);
      }
      fractionDigits = i - f;
      numInteger = false;
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int x = i;
      i = digits(i);
      if (i == x) {
        throw fail(ErrorCode.MALFORMED_JSON, "an exponent must have a digit", i);
      }
      exponentDigits = i - x;
      numInteger = false;
    }
    numEnd = i;
    this.intDigits = intDigits;
    if (root && i < end && !isWhitespace(b[i])) {
      throw fail(ErrorCode.MALFORMED_JSON, "expected space separating root-level values", i);
    }
    if (intDigits > MAX_NUMBER_DIGITS || (!numInteger
        && (long) intDigits + fractionDigits + exponentDigits > MAX_NUMBER_DIGITS)) {
      throw fail(ErrorCode.INVALID_NUMBER,
          "number is longer than " + MAX_NUMBER_DIGITS + " digits", numStart);
    }
    return i;
  }

  private double parse() {
    return Double.parseDouble(new String(in, numStart, numEnd - numStart, StandardCharsets.ISO_8859_1));
  }

  private static boolean isWhitespace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private int digits(int i) {
    byte[] b = in;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  /**
   * Matches {@code NaN}, {@code Infinity}, {@code +Infinity}, {@code -Infinity}, {@code +INF} or
   * {@code -INF} at {@code i}, as the tree reader's parser does, and returns the refusal: {@code
   * invalid_number} for one of those, {@code malformed_json} for anything else.
   */
  private KasComputeException nonNumeric(int i) {
    byte[] word;
    int at = i;
    byte c = in[i];
    if (c == 'N') {
      word = NAN;
    } else if (c == 'I') {
      word = INFINITY;
    } else {
      at = i + 1;
      if (at >= end || in[at] != 'I') {
        return fail(ErrorCode.MALFORMED_JSON, "unexpected character in a number", i);
      }
      word = at + 1 < end && in[at + 1] == 'N' ? INF : INFINITY;
    }
    int n = word.length;
    if (end - at < n || !Arrays.equals(in, at, at + n, word, 0, n) || continuesToken(at + n)) {
      return fail(ErrorCode.MALFORMED_JSON, "unrecognized token", i);
    }
    return fail(ErrorCode.INVALID_NUMBER,
        "JSON has no " + new String(in, i, at + n - i, StandardCharsets.US_ASCII), i);
  }

  /**
   * Why the number last scanned is not an unsigned 64-bit integer, or null if it is; the words
   * follow {@code JsonNumber.unsignedLongValue}.
   */
  private String unsignedProblem() {
    String text = numberText();
    if (!numInteger) {
      return "must be an integer, got " + text;
    }
    if (numNegative) {
      return "must not be negative, got " + text;
    }
    int n = numEnd - numStart;
    if (n > 20 || (n == 20
        && Arrays.compare(in, numStart, numEnd, MAX_U64, 0, MAX_U64.length) > 0)) {
      return "exceeds 2^64-1, got " + text;
    }
    return null;
  }

  private String numberText() {
    int n = Math.min(numEnd - numStart, 64);
    String s = new String(in, numStart, n, StandardCharsets.ISO_8859_1);
    return n < numEnd - numStart ? s + "..." : s;
  }

  /** The number last scanned as an unsigned 64-bit integer (checked by {@link #unsignedProblem}). */
  private long unsignedValue() {
    long v = 0;
    for (int k = numStart; k < numEnd; k++) {
      v = v * 10 + (in[k] - '0');
    }
    return v;
  }

  /**
   * Writes the number last scanned in the DAG's canonical form: an integer literal within the
   * signed or unsigned 64-bit range (not {@code -0}) as written, anything else as RFC 8785 writes
   * its double.
   */
  private void writeNumber() {
    int n = numEnd - numStart;
    if (numInteger && isWireInteger()) {
      ensure(n);
      System.arraycopy(in, numStart, out, outLen, n);
      outLen += n;
      return;
    }
    double d = numInteger ? parse() : numDouble;
    String s = EcmaNumberFormatter.format(d);
    ensure(s.length());
    for (int k = 0; k < s.length(); k++) {
      out[outLen++] = (byte) s.charAt(k);
    }
  }

  private boolean isWireInteger() {
    int digits = numEnd - numStart - (numNegative ? 1 : 0);
    int from = numEnd - digits;
    if (numNegative) {
      if (digits == 1 && in[from] == '0') {
        return false; // -0 is a float to V1
      }
      return digits < 19 || (digits == 19
          && Arrays.compare(in, from, numEnd, MAX_I64_MAGNITUDE, 0, 19) <= 0);
    }
    return digits < 20 || (digits == 20 && Arrays.compare(in, from, numEnd, MAX_U64, 0, 20) <= 0);
  }

  // --- output ----------------------------------------------------------------------------------

  private void ensure(int n) {
    if ((long) outLen + n > out.length) {
      growOut(n);
    }
  }

  private void put(byte c) {
    if (outLen == out.length) {
      growOut(1);
    }
    out[outLen++] = c;
  }

  private void growOut(int n) {
    long want = (long) outLen + n;
    if (want > outLimit) {
      throw Overflow.INSTANCE;
    }
    // Half as much again, not twice: a large value must not need three times its size to grow.
    out = Arrays.copyOf(out, (int) Math.min(outLimit, Math.max(want, out.length + (long) out.length / 2)));
  }

  // --- errors ----------------------------------------------------------------------------------

  /**
   * The refusal for a JSON fault at {@code pos}, unless the document holds a UTF-8 fault or a NUL
   * byte anywhere: the tree reader checks those first, so the first of them is thrown instead.
   */
  private KasComputeException fail(ErrorCode code, String message, int pos) {
    Utf8.checkDocument(in, 0, end);
    if (end >= 3 && in[0] == (byte) 0xef && in[1] == (byte) 0xbb && in[2] == (byte) 0xbf) {
      return new KasComputeException(ErrorCode.MALFORMED_JSON, "byte order mark at byte 0");
    }
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < Math.min(pos, end); k++) {
      if (in[k] == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return new KasComputeException(
        code, message + " at line " + line + ", column " + (pos - lineStart + 1));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
