package io.kascompute.dag;

import io.kascompute.core.CodePointOrder;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonBoolean;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * The DAG hashing scheme of deployed V1 coordinators: canonical spec bytes, root hash and task
 * hashes, computed over the compiled (sorted, deduplicated) arrays.
 */
final class DagCanonical {
  /** Flush the spec writer into the digest once it holds this many bytes. */
  private static final int FLUSH_AT = 1 << 16;

  private static final BigInteger MIN_I64 = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final byte[] TASK_PREFIX = "task|".getBytes(StandardCharsets.US_ASCII);

  private DagCanonical() {}

  /** The canonical spec bytes, whole. */
  static byte[] specBytes(
      String name, TaskId[] ids, long[] workUnits, String[] types, JsonValue[] params,
      int[] start, int[] dependents) {
    JsonWriter w = new JsonWriter(64 + ids.length * 64 + dependents.length * 24);
    writeSpec(w, null, name, ids, workUnits, types, params, start, dependents);
    return w.toByteArray();
  }

  /** SHA-256 of the canonical spec bytes, streamed through a small buffer. */
  static byte[] rootHash(
      String name, TaskId[] ids, long[] workUnits, String[] types, JsonValue[] params,
      int[] start, int[] dependents) {
    MessageDigest md = io.kascompute.core.Sha256Digest.newMessageDigest();
    JsonWriter w = new JsonWriter(FLUSH_AT + 1024);
    writeSpec(w, md, name, ids, workUnits, types, params, start, dependents);
    md.update(w.buffer(), 0, w.size());
    return md.digest();
  }

  private static void writeSpec(
      JsonWriter w, MessageDigest md, String name, TaskId[] ids, long[] workUnits,
      String[] types, JsonValue[] params, int[] start, int[] dependents) {
    w.raw("{\"name\":").string(name).raw(",\"nodes\":[");
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) {
        w.raw(',');
      }
      String type = types[i].isEmpty() ? "sim" : types[i];
      w.raw("{\"task_id\":").string(ids[i].value());
      w.raw(",\"work_units\":").unsigned(workUnits[i]);
      w.raw(",\"task_type\":").string(type);
      w.raw(",\"params\":");
      writeValue(w, params[i]);
      w.raw('}');
      flush(w, md);
    }
    w.raw("],\"edges\":[");
    boolean first = true;
    for (int from = 0; from < ids.length; from++) {
      for (int k = start[from]; k < start[from + 1]; k++) {
        if (!first) {
          w.raw(',');
        }
        first = false;
        w.raw("{\"from\":").string(ids[from].value());
        w.raw(",\"to\":").string(ids[dependents[k]].value()).raw('}');
        flush(w, md);
      }
    }
    w.raw("]}");
  }

  private static void flush(JsonWriter w, MessageDigest md) {
    if (md != null && w.size() >= FLUSH_AT) {
      md.update(w.buffer(), 0, w.size());
      w.reset();
    }
  }

  /**
   * Computes every task hash into {@code out} (32 bytes per task): SHA-256 of {@code "task|" +
   * rootHex + "|" + task_id + "|" + work_units (8 bytes little-endian) + "|" + raw task_type + "|" +
   * canonical params}.
   */
  static void taskHashes(
      byte[] rootHexAscii, TaskId[] ids, long[] workUnits, String[] types, JsonValue[] params,
      byte[] out) {
    MessageDigest md = io.kascompute.core.Sha256Digest.newMessageDigest();
    JsonWriter w = new JsonWriter(512);
    for (int i = 0; i < ids.length; i++) {
      w.reset();
      w.raw(TASK_PREFIX, 0, TASK_PREFIX.length);
      w.raw(rootHexAscii, 0, rootHexAscii.length).raw('|');
      byte[] id = ids[i].value().getBytes(StandardCharsets.UTF_8);
      w.raw(id, 0, id.length).raw('|');
      long u = workUnits[i];
      for (int b = 0; b < 8; b++) {
        w.raw((char) ((u >>> (8 * b)) & 0xff));
      }
      w.raw('|');
      byte[] type = types[i].getBytes(StandardCharsets.UTF_8);
      w.raw(type, 0, type.length).raw('|');
      writeValue(w, params[i]);
      md.update(w.buffer(), 0, w.size());
      try {
        md.digest(out, i * 32, 32);
      } catch (DigestException e) {
        throw new IllegalStateException("a SHA-256 digest has 32 bytes", e);
      }
    }
  }

  /** Writes a params value: keys sorted by code point at every depth, compact. */
  static void writeValue(JsonWriter w, JsonValue v) {
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
