package io.kascompute.dag;

import io.kascompute.core.CodePointOrder;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonBoolean;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.dag.internal.spec.Whitespace;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * The DAG hashing scheme of deployed V1 coordinators: canonical spec bytes, root hash and task
 * hashes, computed over a compiled DAG's flat arrays; and the canonical form of a {@code params}
 * tree, for specs built in Java.
 */
final class DagCanonical {
  /** Flush canonical spec bytes into the digest once this many are buffered. */
  private static final int CHUNK = 1 << 16;

  private static final BigInteger MIN_I64 = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final byte[] SIM = ascii("\"sim\"");
  private static final byte[] NODE_ID = ascii("{\"task_id\":");
  private static final byte[] NODE_UNITS = ascii(",\"work_units\":");
  private static final byte[] NODE_TYPE = ascii(",\"task_type\":");
  private static final byte[] NODE_PARAMS = ascii(",\"params\":");
  private static final byte[] EDGE_FROM = ascii("{\"from\":");
  private static final byte[] EDGE_TO = ascii(",\"to\":");
  private static final byte[] TASK_PREFIX = ascii("task|");

  private DagCanonical() {}

  /** True if the UTF-8 task type is empty after trimming Unicode whitespace. */
  static boolean isBlank(byte[] utf8) {
    return Whitespace.isBlank(utf8, 0, utf8.length);
  }

  /** The canonical spec bytes, whole. */
  static byte[] specBytes(ComputeDag dag) {
    ByteArrayOutputStream all = new ByteArrayOutputStream(64 + dag.taskCount * 96);
    new Writer(dag, null, all).spec();
    return all.toByteArray();
  }

  /** SHA-256 of the canonical spec bytes, streamed through a small buffer. */
  static byte[] rootHash(ComputeDag dag) {
    MessageDigest md = Sha256Digest.newMessageDigest();
    new Writer(dag, md, null).spec();
    return md.digest();
  }

  /** The canonical spec, written in chunks to a digest or a stream. */
  private static final class Writer {
    private final ComputeDag d;
    private final MessageDigest md;
    private final ByteArrayOutputStream all;
    private final byte[][] typeLiterals;
    private byte[] buf = new byte[CHUNK + 256];
    private int len;

    Writer(ComputeDag d, MessageDigest md, ByteArrayOutputStream all) {
      this.d = d;
      this.md = md;
      this.all = all;
      typeLiterals = new byte[d.rawTypeUtf8.length][];
      for (int t = 0; t < typeLiterals.length; t++) {
        byte[] raw = d.rawTypeUtf8[t];
        typeLiterals[t] = isBlank(raw) ? SIM : literal(raw, 0, raw.length);
      }
    }

    void spec() {
      raw(ascii("{\"name\":"));
      byte[] name = d.name.getBytes(StandardCharsets.UTF_8);
      raw(literal(name, 0, name.length));
      raw(ascii(",\"nodes\":["));
      for (int i = 0; i < d.taskCount; i++) {
        if (i > 0) {
          raw((byte) ',');
        }
        node(i);
        flush(false);
      }
      raw(ascii("],\"edges\":["));
      boolean first = true;
      long[] dups = d.duplicateEdges;
      int dup = 0;
      for (int from = 0; from < d.taskCount; from++) {
        for (int k = d.dependentStart[from]; k < d.dependentStart[from + 1]; k++) {
          int to = d.dependents[k];
          long key = ((long) from << 32) | to;
          int copies = 1;
          while (dup < dups.length && dups[dup] == key) {
            copies++;
            dup++;
          }
          for (int c = 0; c < copies; c++) {
            if (!first) {
              raw((byte) ',');
            }
            first = false;
            edge(from, to);
            flush(false);
          }
        }
      }
      raw(ascii("]}"));
      flush(true);
    }

    /** {@code {"task_id":I,"work_units":U,"task_type":T,"params":P}} of task {@code i}. */
    private void node(int i) {
      raw(NODE_ID);
      string(d.ids, d.idStart[i], d.idStart[i + 1]);
      raw(NODE_UNITS);
      unsigned(d.workUnits[i]);
      raw(NODE_TYPE);
      raw(typeLiterals[d.types[i]]);
      raw(NODE_PARAMS);
      raw(d.params, d.paramsStart[i], d.paramsEnd[i] - d.paramsStart[i]);
      raw((byte) '}');
    }

    /** {@code {"from":F,"to":T}}. */
    private void edge(int from, int to) {
      raw(EDGE_FROM);
      string(d.ids, d.idStart[from], d.idStart[from + 1]);
      raw(EDGE_TO);
      string(d.ids, d.idStart[to], d.idStart[to + 1]);
      raw((byte) '}');
    }

    /** The decimal digits of an unsigned 64-bit integer, as {@link Long#toUnsignedString}. */
    private void unsigned(long u) {
      room(20);
      len = JsonWriter.writeUnsigned(buf, len, u);
    }

    private void room(long n) {
      if (len + n > buf.length) {
        flush(true);
        if (n > buf.length) {
          buf = new byte[(int) Math.min(Integer.MAX_VALUE - 8, n)];
        }
      }
    }

    private void raw(byte b) {
      room(1);
      buf[len++] = b;
    }

    private void raw(byte[] b) {
      raw(b, 0, b.length);
    }

    private void raw(byte[] b, int off, int n) {
      room(n);
      System.arraycopy(b, off, buf, len, n);
      len += n;
    }

    private void string(byte[] b, int from, int to) {
      int n = to - from;
      // At most six bytes a byte; a long id is measured first rather than over-reserved.
      room(n < 1024 ? 6L * n + 2 : JsonWriter.literalLength(b, from, n));
      len = JsonWriter.writeLiteral(b, from, n, buf, len);
    }

    private void flush(boolean always) {
      if (always || len >= CHUNK) {
        if (md != null) {
          md.update(buf, 0, len);
        } else {
          all.write(buf, 0, len);
        }
        len = 0;
      }
    }
  }

  /**
   * Every task hash, 32 bytes per task: SHA-256 of {@code "task|" + rootHex + "|" + task_id + "|"
   * + work_units (8 bytes little-endian) + "|" + raw task_type + "|" + canonical params}.
   */
  static byte[] taskHashes(ComputeDag d, Sha256Digest root) {
    byte[] out = new byte[d.taskCount * 32];
    new TaskHasher(d, root).hash(out);
    return out;
  }

  /**
   * Hashes tasks one call each: a small method that the JIT compiles (with the CPU's SHA
   * instructions inlined) after a few thousand tasks, instead of a loop it would replace only
   * after tens of thousands of iterations.
   */
  private static final class TaskHasher {
    private final ComputeDag d;
    private final MessageDigest md = Sha256Digest.newMessageDigest();
    private final int prefix;
    private byte[] buf = new byte[512];

    TaskHasher(ComputeDag d, Sha256Digest root) {
      this.d = d;
      byte[] rootHex = root.hex().getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(TASK_PREFIX, 0, buf, 0, TASK_PREFIX.length);
      System.arraycopy(rootHex, 0, buf, TASK_PREFIX.length, rootHex.length);
      int p = TASK_PREFIX.length + rootHex.length;
      buf[p++] = '|';
      prefix = p;
    }

    void hash(byte[] out) {
      for (int i = 0; i < d.taskCount; i++) {
        task(i, out);
      }
    }

    private void task(int i, byte[] out) {
      int idFrom = d.idStart[i];
      int idLen = d.idStart[i + 1] - idFrom;
      byte[] type = d.rawTypeUtf8[d.types[i]];
      int paramsFrom = d.paramsStart[i];
      int paramsLen = d.paramsEnd[i] - paramsFrom;
      long need = (long) prefix + idLen + 11 + type.length + 1;
      if (need > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, need * 2));
      }
      byte[] b = buf;
      int p = prefix;
      System.arraycopy(d.ids, idFrom, b, p, idLen);
      p += idLen;
      b[p++] = '|';
      long u = d.workUnits[i];
      for (int k = 0; k < 8; k++) {
        b[p++] = (byte) (u >>> (8 * k));
      }
      b[p++] = '|';
      System.arraycopy(type, 0, b, p, type.length);
      p += type.length;
      b[p++] = '|';
      md.update(b, 0, p);
      md.update(d.params, paramsFrom, paramsLen);
      try {
        md.digest(out, i * 32, 32);
      } catch (DigestException e) {
        throw new IllegalStateException("a SHA-256 digest has 32 bytes", e);
      }
    }
  }

  private static byte[] literal(byte[] utf8, int off, int len) {
    byte[] out = new byte[(int) JsonWriter.literalLength(utf8, off, len)];
    JsonWriter.writeLiteral(utf8, off, len, out, 0);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // --- params trees, for specs built in Java ---------------------------------------------------

  /** The canonical bytes of a params value: keys sorted by code point at every depth, compact. */
  static byte[] paramsBytes(JsonValue v) {
    if (v instanceof JsonNull) {
      return ascii("null");
    }
    JsonWriter w = new JsonWriter(64);
    writeValue(w, v);
    return w.toByteArray();
  }

  private static void writeValue(JsonWriter w, JsonValue v) {
    if (v instanceof JsonNull) {
      w.raw("null");
    } else if (v instanceof JsonBoolean b) {
      w.raw(b.value() ? "true" : "false");
    } else if (v instanceof JsonString s) {
      w.string(s.value());
    } else if (v instanceof JsonNumber n) {
      w.raw(isWireInteger(n) ? n.text() : CanonicalJson.formatNumber(n.doubleValue()));
    } else if (v instanceof JsonArray a) {
      w.raw('[');
      boolean first = true;
      for (JsonValue e : a.elements()) {
        if (!first) {
          w.raw(',');
        }
        first = false;
        writeValue(w, e);
      }
      w.raw(']');
    } else {
      Map<String, JsonValue> members = ((JsonObject) v).members();
      String[] keys = members.keySet().toArray(new String[0]);
      Arrays.sort(keys, CodePointOrder.COMPARATOR);
      w.raw('{');
      for (int i = 0; i < keys.length; i++) {
        if (i > 0) {
          w.raw(',');
        }
        w.key(keys[i]);
        writeValue(w, members.get(keys[i]));
      }
      w.raw('}');
    }
  }

  /**
   * True if the number is written as its digits: an integer literal (no fraction, no exponent),
   * not {@code -0}, within the signed or unsigned 64-bit range that deployed peers keep as integers.
   */
  static boolean isWireInteger(JsonNumber n) {
    if (!n.isIntegerLiteral()) {
      return false;
    }
    String t = n.text();
    if (t.equals("-0")) {
      return false;
    }
    if (t.length() < 19) {
      return true;
    }
    BigInteger b = new BigInteger(t);
    return b.compareTo(MIN_I64) >= 0 && b.compareTo(MAX_U64) <= 0;
  }
}
