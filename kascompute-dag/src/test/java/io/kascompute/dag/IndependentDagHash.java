package io.kascompute.dag;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A second implementation of the DAG hashing scheme, written from the spec text alone: plain Java
 * values in (maps, lists, strings, longs, BigDecimal), its own code-point sort, escaping, Unicode
 * whitespace test, little-endian encoding and SHA-256; shares no code with production.
 *
 * <p>It follows deployed V1: a task type that is empty after trimming Unicode White_Space is
 * written as {@code "sim"} in the canonical spec (the raw type goes into the task hash), edges
 * listed twice stay twice, and an empty node list is a DAG like any other.
 */
final class IndependentDagHash {
  record Node(String id, long workUnits, String type, Object params) {}

  record Edge(String from, String to) {}

  record Result(byte[] canonical, String root, Map<String, String> taskHashes) {}

  static final Object NULL = new Object();

  /** Unicode White_Space, listed from the Unicode Character Database (PropList.txt). */
  static final String WHITE_SPACE = "\u0009\n\u000b\u000c\r\u0020\u0085\u00a0\u1680"
      + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
      + "\u2028\u2029\u202f\u205f\u3000";

  /** True if {@code s} is empty after trimming White_Space from both ends. */
  static boolean blank(String s) {
    return s.codePoints().allMatch(cp -> WHITE_SPACE.indexOf(cp) >= 0);
  }

  private IndependentDagHash() {}

  /** Compares by Unicode code point. */
  static int cmp(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    return Integer.compare(x.length, y.length);
  }

  static Result hash(String name, List<Node> nodes, List<Edge> edges) throws Exception {
    List<Node> ns = new ArrayList<>(nodes);
    ns.sort((a, b) -> cmp(a.id(), b.id()));
    List<Edge> es = new ArrayList<>(edges);
    es.sort((a, b) -> {
      int c = cmp(a.from(), b.from());
      return c != 0 ? c : cmp(a.to(), b.to());
    });
    StringBuilder sb = new StringBuilder();
    sb.append("{\"name\":").append(str(name)).append(",\"nodes\":[");
    for (int i = 0; i < ns.size(); i++) {
      Node n = ns.get(i);
      sb.append(i == 0 ? "" : ",")
          .append("{\"task_id\":").append(str(n.id()))
          .append(",\"work_units\":").append(Long.toUnsignedString(n.workUnits()))
          .append(",\"task_type\":").append(str(blank(n.type()) ? "sim" : n.type()))
          .append(",\"params\":").append(value(n.params())).append('}');
    }
    sb.append("],\"edges\":[");
    for (int i = 0; i < es.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("{\"from\":").append(str(es.get(i).from()))
          .append(",\"to\":").append(str(es.get(i).to())).append('}');
    }
    sb.append("]}");
    byte[] canonical = sb.toString().getBytes(StandardCharsets.UTF_8);
    String root = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    Map<String, String> tasks = new TreeMap<>(IndependentDagHash::cmp);
    for (Node n : ns) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(("task|" + root + "|" + n.id() + "|").getBytes(StandardCharsets.UTF_8));
      for (int b = 0; b < 8; b++) {
        out.write((int) (n.workUnits() >>> (8 * b)) & 0xff);
      }
      out.writeBytes(("|" + n.type() + "|" + value(n.params())).getBytes(StandardCharsets.UTF_8));
      tasks.put(n.id(), HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(out.toByteArray())));
    }
    return new Result(canonical, root, tasks);
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Params: Map (keys sorted by code point), List, String, Long (digits), Boolean, NULL. */
  @SuppressWarnings("unchecked")
  static String value(Object v) {
    if (v == NULL) {
      return "null";
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    if (v instanceof String s) {
      return str(s);
    }
    if (v instanceof Long l) {
      return l.toString();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof List<?> list) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        b.append(i == 0 ? "" : ",").append(value(list.get(i)));
      }
      return b.append(']').toString();
    }
    Map<String, Object> m = new TreeMap<>(IndependentDagHash::cmp);
    m.putAll((Map<String, Object>) v);
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      b.append(first ? "" : ",").append(str(e.getKey())).append(':').append(value(e.getValue()));
      first = false;
    }
    return b.append('}').toString();
  }
}
