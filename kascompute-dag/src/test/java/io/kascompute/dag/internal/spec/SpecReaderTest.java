package io.kascompute.dag.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.Fields;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import io.kascompute.dag.DagProblem;
import io.kascompute.dag.DagValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader against the reference path (the strict tree reader, {@code DagSpec} and
 * {@code ComputeDag.compile}) on random and mutated spec documents: the same DAG, or the same
 * refusal with the same code.
 */
class SpecReaderTest {
  /** What reading a document came to. */
  record Outcome(String kind, ErrorCode code, List<ErrorCode> problems, String root,
      List<String> tasks, String canonical) {
    static Outcome of(java.util.function.Supplier<ComputeDag> read) {
      try {
        ComputeDag d = read.get();
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < d.taskCount(); i++) {
          tasks.add(d.taskIdString(i) + "=" + d.taskHash(i).hex() + "/" + d.taskType(i));
        }
        return new Outcome("ok", null, List.of(), d.rootHash().hex(), tasks,
            new String(d.canonicalSpecBytes(), StandardCharsets.UTF_8));
      } catch (DagValidationException e) {
        return new Outcome("refused", e.code(),
            e.problems().stream().map(DagProblem::code).toList(), null, List.of(), null);
      } catch (KasComputeException e) {
        return new Outcome("error", e.code(), List.of(), null, List.of(), null);
      }
    }
  }

  /** The reference: a tree, then records, then compile. */
  static ComputeDag reference(byte[] json, SpecReader.Shape shape, DagLimits limits) {
    JsonValue doc = StrictJsonReader.withLimits(
        new JsonLimits(limits.maxSpecBytes(), limits.maxDepth())).read(json);
    DagSpec spec = switch (shape) {
      case SPEC -> DagSpec.fromJson(Fields.object(doc, "the spec"));
      case SUBMIT_BODY -> DagSpec.fromSubmitBody(Fields.object(doc, "the body"));
      case SUBMIT_BODY_OR_SPEC -> {
        JsonObject o = Fields.object(doc, "the DAG file");
        yield !o.members().containsKey("nodes") && o.members().get("spec") instanceof JsonObject
            ? DagSpec.fromSubmitBody(o) : DagSpec.fromJson(o);
      }
    };
    return ComputeDag.compile(spec, limits);
  }

  static ComputeDag streamed(byte[] json, SpecReader.Shape shape, DagLimits limits) {
    return switch (shape) {
      case SPEC -> ComputeDag.fromSpecJson(json, limits);
      case SUBMIT_BODY -> ComputeDag.fromSubmitBody(json, limits);
      case SUBMIT_BODY_OR_SPEC -> ComputeDag.fromSubmitBodyOrSpec(json, limits);
    };
  }

  static void assertSame(byte[] json, SpecReader.Shape shape, DagLimits limits) {
    Outcome expected = Outcome.of(() -> reference(json, shape, limits));
    Outcome actual = Outcome.of(() -> streamed(json, shape, limits));
    assertThat(actual).as("%s %s %s", shape, limits, show(json)).isEqualTo(expected);
  }

  static String show(byte[] json) {
    String s = new String(json, StandardCharsets.UTF_8);
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }

  // --- documents -------------------------------------------------------------------------------

  /** Writes random spec documents, valid and not, in every legal spelling. */
  static final class Texts {
    private static final String[] ID_PARTS = {
      "a", "b", "c", "d", "task-1", "\u00e9", "\uffef", "\ue000", "\ud83d\ude00", "\"", "\\", "/",
      "\u0000", "\n", "\u007f", " ", "\u00a0", "\u3000"
    };
    private static final String[] TYPES = {
      "", " ", "\t", "\u00a0", "\u2028", "\u3000", "\u200b", "gpu", " gpu ", "sim", "\u001c"
    };
    private static final String[] NUMBERS = {
      "0", "-0", "7", "-7", "123456789012345678", "9223372036854775807", "-9223372036854775808",
      "-9223372036854775809", "18446744073709551615", "18446744073709551616",
      "123456789012345678901234567890", "1.5", "-0.0", "1e-7", "1E+2", "1e21", "0.1", "2.5e-3",
      "123.456e-3", "1e308", "4.9e-324", "1e-400", "100", "1.0", "0e99999"
    };
    private static final String[] BAD_NUMBERS = {"1e400", "NaN", "-Infinity", "+INF", "01", "1.", "-"};
    private static final String[] KEYS = {"k", "seed", "model", "z", "A", "\u00e9", "\ud83d\ude00",
        "\uffef", "", "a\"b", "tab\t", "task_id"};
    private static final String[] WS = {"", "", "", " ", "\n", "\t", "\r\n  "};

    private final Random r;
    private final StringBuilder b = new StringBuilder();
    private final List<String> ids = new ArrayList<>();

    Texts(Random r) {
      this.r = r;
    }

    String spec(boolean body) {
      b.setLength(0);
      int n = r.nextInt(6);
      for (int i = 0; i < n; i++) {
        StringBuilder id = new StringBuilder();
        for (int k = 1 + r.nextInt(2); k > 0; k--) {
          id.append(ID_PARTS[r.nextInt(ID_PARTS.length)]);
        }
        ids.add(id.toString());
      }
      if (ids.isEmpty() || r.nextInt(4) == 0) {
        ids.add("x");
      }
      if (body) {
        members(() -> {
          b.append("\"spec\":");
          ws();
          specObject();
        }, r.nextInt(3) == 0, r.nextInt(8) == 0);
      } else {
        specObject();
      }
      return b.toString();
    }

    private void ws() {
      b.append(WS[r.nextInt(WS.length)]);
    }

    /** An object with one required member and unknown ones around it, maybe a duplicate. */
    private void members(Runnable required, boolean extra, boolean nodesToo) {
      b.append('{');
      ws();
      int at = r.nextInt(3);
      boolean first = true;
      for (int k = 0; k < 3; k++) {
        if (k == at) {
          if (!first) {
            b.append(',');
            ws();
          }
          required.run();
          first = false;
        } else if (extra) {
          if (!first) {
            b.append(',');
            ws();
          }
          str("u" + k);
          b.append(':');
          value(2);
          first = false;
        }
      }
      if (nodesToo) {
        b.append(",\"nodes\":[]");
      }
      ws();
      b.append('}');
    }

    private void specObject() {
      List<Runnable> parts = new ArrayList<>();
      if (r.nextInt(30) != 0) {
        parts.add(() -> {
          str("name");
          b.append(':');
          ws();
          if (r.nextInt(20) == 0) {
            value(1);
          } else {
            str("dag " + ID_PARTS[r.nextInt(ID_PARTS.length)]);
          }
        });
      }
      if (r.nextInt(30) != 0) {
        parts.add(() -> {
          str("nodes");
          b.append(':');
          ws();
          if (r.nextInt(30) == 0) {
            value(1);
          } else {
            nodes();
          }
        });
      }
      if (r.nextInt(30) != 0) {
        parts.add(() -> {
          str("edges");
          b.append(':');
          ws();
          if (r.nextInt(30) == 0) {
            value(1);
          } else {
            edges();
          }
        });
      }
      if (r.nextInt(4) == 0) {
        parts.add(() -> {
          str("meta");
          b.append(':');
          value(3);
        });
      }
      java.util.Collections.shuffle(parts, r);
      b.append('{');
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        ws();
        parts.get(i).run();
        ws();
      }
      b.append('}');
    }

    private void nodes() {
      b.append('[');
      List<String> order = new ArrayList<>(ids);
      if (r.nextInt(10) == 0) {
        order.add(ids.get(r.nextInt(ids.size())));
      }
      java.util.Collections.shuffle(order, r);
      for (int i = 0; i < order.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        ws();
        if (r.nextInt(60) == 0) {
          value(1);
        } else {
          node(order.get(i));
        }
      }
      ws();
      b.append(']');
    }

    private void node(String id) {
      List<Runnable> parts = new ArrayList<>();
      if (r.nextInt(40) != 0) {
        parts.add(() -> {
          str("task_id");
          b.append(':');
          if (r.nextInt(40) == 0) {
            value(1);
          } else {
            str(id);
          }
        });
      }
      if (r.nextInt(40) != 0) {
        parts.add(() -> {
          str("work_units");
          b.append(':');
          ws();
          int k = r.nextInt(30);
          if (k == 0) {
            value(1);
          } else if (k < 4) {
            b.append(NUMBERS[r.nextInt(NUMBERS.length)]);
          } else {
            b.append(Long.toUnsignedString(k < 6 ? r.nextLong() : r.nextInt(1000)));
          }
        });
      }
      int t = r.nextInt(5);
      if (t > 0) {
        parts.add(() -> {
          str("task_type");
          b.append(':');
          if (t == 1) {
            b.append(r.nextInt(20) == 0 ? "5" : "null");
          } else {
            str(TYPES[r.nextInt(TYPES.length)]);
          }
        });
      }
      if (r.nextBoolean()) {
        parts.add(() -> {
          str("params");
          b.append(':');
          ws();
          value(3);
        });
      }
      if (r.nextInt(6) == 0) {
        parts.add(() -> {
          str(KEYS[r.nextInt(KEYS.length)] + "x");
          b.append(':');
          value(2);
        });
      }
      java.util.Collections.shuffle(parts, r);
      b.append('{');
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          b.append(',');
          ws();
        }
        parts.get(i).run();
      }
      b.append('}');
    }

    private void edges() {
      b.append('[');
      int m = r.nextInt(8);
      for (int i = 0; i < m; i++) {
        if (i > 0) {
          b.append(',');
        }
        ws();
        int a = r.nextInt(ids.size());
        int c = r.nextInt(ids.size());
        // Mostly forward in the id list, so that most DAGs are acyclic.
        String from = ids.get(Math.min(a, c));
        String to = r.nextInt(15) == 0 ? "ghost" : ids.get(Math.max(a, c));
        int kind = r.nextInt(25);
        if (kind == 0) {
          value(1);
        } else if (kind < 8) {
          b.append('[');
          str(from);
          b.append(',');
          ws();
          if (r.nextInt(20) == 0) {
            value(0);
          } else {
            str(to);
          }
          if (r.nextInt(20) == 0) {
            b.append(",\"third\"");
          }
          b.append(']');
        } else {
          b.append('{');
          boolean swap = r.nextBoolean();
          String first = swap ? "to" : "from";
          String second = swap ? "from" : "to";
          str(first);
          b.append(':');
          str(swap ? to : from);
          if (r.nextInt(20) != 0) {
            b.append(',');
            str(second);
            b.append(':');
            if (r.nextInt(20) == 0) {
              value(0);
            } else {
              str(swap ? from : to);
            }
          }
          if (r.nextInt(8) == 0) {
            b.append(",\"weight\":");
            value(1);
          }
          b.append('}');
        }
      }
      ws();
      b.append(']');
    }

    private void value(int depth) {
      int k = r.nextInt(depth > 0 ? 10 : 7);
      switch (k) {
        case 0 -> b.append("null");
        case 1 -> b.append(r.nextBoolean() ? "true" : "false");
        case 2 -> str(KEYS[r.nextInt(KEYS.length)] + ID_PARTS[r.nextInt(ID_PARTS.length)]);
        case 3, 4 -> b.append(r.nextInt(40) == 0 ? BAD_NUMBERS[r.nextInt(BAD_NUMBERS.length)]
            : NUMBERS[r.nextInt(NUMBERS.length)]);
        case 5 -> b.append(r.nextInt(100));
        case 6 -> str("");
        case 7 -> {
          b.append('[');
          for (int i = r.nextInt(4); i > 0; i--) {
            ws();
            value(depth - 1);
            if (i > 1) {
              b.append(',');
            }
          }
          b.append(']');
        }
        default -> {
          b.append('{');
          List<String> keys = new ArrayList<>();
          for (int i = r.nextInt(5); i > 0; i--) {
            keys.add(KEYS[r.nextInt(KEYS.length)] + (r.nextInt(3) == 0 ? "" : String.valueOf(i)));
          }
          if (r.nextInt(50) != 0) {
            keys = new ArrayList<>(new java.util.LinkedHashSet<>(keys));
          }
          for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
              b.append(',');
            }
            ws();
            str(keys.get(i));
            ws();
            b.append(':');
            value(depth - 1);
          }
          b.append('}');
        }
      }
    }

    /** Appends a JSON string with a random spelling of each character; returns what it appended. */
    private String str(String s) {
      int before = b.length();
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        int cp = s.codePointAt(i);
        if (Character.charCount(cp) == 2) {
          i++;
        }
        boolean mustEscape = cp < 0x20 || cp == '"' || cp == '\\';
        int how = r.nextInt(mustEscape ? 2 : 8);
        if (mustEscape && how == 0 && "\"\\\b\f\n\r\t".indexOf(cp) >= 0) {
          b.append('\\').append("\"\\bfnrt".charAt("\"\\\b\f\n\r\t".indexOf(cp)));
        } else if (mustEscape || how == 0) {
          for (char c : Character.toChars(cp)) {
            b.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
          }
        } else if (cp == '/' && how == 1) {
          b.append("\\/");
        } else {
          b.appendCodePoint(cp);
        }
      }
      b.append('"');
      return b.substring(before);
    }
  }

  private static final byte[][] SNIPPETS = ascii("{", "}", "[", "]", ",", ":", "\"", "\\", " ",
      "1e400", "NaN", "01", "-", "true", "null", "\\ud800", "\\u00", "{\"a\":1,\"a\":2}", "[[[[",
      "\"task_id\":\"a\",", ",\"nodes\":[]", "\u000b", "tru", "0.5", "-0", "\"spec\":{}");
  private static final byte[] BYTES = {'{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '9', '-',
      '.', 'e', 'E', '+', 'n', 't', 'f', 'N', 'I', 'x', 0, 0x0b, 0x7f, (byte) 0x80, (byte) 0xc3,
      (byte) 0xed, (byte) 0xef, (byte) 0xff, '\n', '\t'};

  private static byte[][] ascii(String... s) {
    byte[][] out = new byte[s.length][];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  /** One to three random edits: a byte replaced, a span deleted, a snippet inserted, a cut. */
  static byte[] mutate(byte[] doc, Random r) {
    byte[] d = doc;
    for (int edits = 1 + r.nextInt(3); edits > 0 && d.length > 0; edits--) {
      int at = r.nextInt(d.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + 16);
      switch (r.nextInt(5)) {
        case 0 -> {
          d = d.clone();
          d[at] = BYTES[r.nextInt(BYTES.length)];
          continue;
        }
        case 1 -> {
          out.write(d, 0, at);
          int skip = Math.min(d.length - at, 1 + r.nextInt(6));
          out.write(d, at + skip, d.length - at - skip);
        }
        case 2, 3 -> {
          out.write(d, 0, at);
          out.writeBytes(SNIPPETS[r.nextInt(SNIPPETS.length)]);
          out.write(d, at, d.length - at);
        }
        default -> out.write(d, 0, at);
      }
      d = out.toByteArray();
    }
    return d;
  }

  static DagLimits limits(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> DagLimits.DEFAULT;
      case 1 -> DagLimits.V1.withMaxTasks(1 + r.nextInt(4)).withMaxEdges(r.nextInt(4));
      case 2 -> DagLimits.V1.withMaxDepth(1 + r.nextInt(6));
      case 3 -> DagLimits.V1.withMaxCanonicalSpecBytes(50 + r.nextInt(600));
      case 4 -> DagLimits.V1.withMaxSpecBytes(20 + r.nextInt(400));
      default -> DagLimits.V1;
    };
  }

  @Property(tries = 3000)
  void readsRandomSpecsAsTheTreeReaderDoes(@ForAll long seed) {
    Random r = new Random(seed);
    SpecReader.Shape shape = SpecReader.Shape.values()[r.nextInt(3)];
    boolean body = shape == SpecReader.Shape.SUBMIT_BODY
        || (shape == SpecReader.Shape.SUBMIT_BODY_OR_SPEC && r.nextBoolean());
    byte[] json = new Texts(r).spec(body).getBytes(StandardCharsets.UTF_8);
    assertSame(json, shape, r.nextInt(3) == 0 ? limits(r) : DagLimits.V1);
  }

  @Property(tries = 4000)
  void refusesMutatedSpecsAsTheTreeReaderDoes(@ForAll long seed) {
    Random r = new Random(seed);
    SpecReader.Shape shape = SpecReader.Shape.values()[r.nextInt(3)];
    boolean body = shape != SpecReader.Shape.SPEC && r.nextBoolean();
    byte[] json = mutate(new Texts(r).spec(body).getBytes(StandardCharsets.UTF_8), r);
    assertSame(json, shape, r.nextInt(4) == 0 ? limits(r) : DagLimits.V1);
  }

  @Test
  void jsonCornersGetTheTreeReadersCodes() {
    List<String> docs = List.of(
        "", "   ", "\ufeff{}", "{}", "[]", "1", "1 x", "1x", "-", "- 1", "1e400", "1e400 x",
        "NaN", "NaN x", "NaNx", "-Infinity]", "+INF", "INF", "true", "truex", "true-", "true:",
        "null]", "\"s\"x", "{}x", "{} }", "{\"spec\":{}}x", "{\"a\":1,\"a\":[}",
        "{\"a\":1,\"a\":2,\"b\":[}", "{\"a\":NaN,\"a\":1}", "{\"\\ud800\":1}", "[\"\\ud800\\x\"]",
        "[\"\\ud83d\\ude00\"]", "{\"name\":\"n\",\"nodes\":[],\"edges\":[],\"name\":1}",
        "{\"name\":\"n\",\"nodes\":[],\"edges\":[],\"x\":{\"q\":1,\"q\":2}}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"task_\\u0069d\":\"b\"}],\"edges\":[]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-0}],\"edges\":[]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1}],\"edges\":[[\"a\"]]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1}],\"edges\":[[\"a\",\"a\",1]]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1}],\"edges\":[[1,\"a\"]]}",
        "{\"nodes\":5,\"name\":7}", "{\"edges\":[],\"nodes\":[{\"work_units\":true}]}",
        "{\"spec\":5}", "{\"spec\":null}", "{\"spec\":{},\"nodes\":null}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"params\":{\"b\":1,\"a\":{\"d\":[1e21,-0,0.1],\"c\":null}}}],\"edges\":[]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"params\":" + "1".repeat(100_001) + "}],\"edges\":[]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"params\":1." + "0".repeat(99_999) + "}],\"edges\":[]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"params\":1." + "0".repeat(100_000) + "}],\"edges\":[]}",
        "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"params\":" + "9".repeat(309) + "}],\"edges\":[]}");
    for (String doc : docs) {
      for (SpecReader.Shape shape : SpecReader.Shape.values()) {
        assertSame(doc.getBytes(StandardCharsets.UTF_8), shape, DagLimits.V1);
      }
    }
    byte[] withInvalidUtf8Late = Arrays.copyOf("{\"x\" 1, \"y\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8), 20);
    withInvalidUtf8Late[17] = (byte) 0xff;
    assertSame(withInvalidUtf8Late, SpecReader.Shape.SPEC, DagLimits.V1);
    assertThat(Outcome.of(() -> ComputeDag.fromSpecJson(withInvalidUtf8Late, DagLimits.V1)).code())
        .isEqualTo(ErrorCode.INVALID_UTF8);
  }

  @Test
  void objectsWithManyMembersFindTheirDuplicate() {
    StringBuilder params = new StringBuilder("{");
    for (int i = 0; i < 5000; i++) {
      params.append(i == 0 ? "" : ",").append("\"k").append((i * 7919) % 5000).append("\":").append(i);
    }
    String base = "{\"name\":\"n\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1,\"params\":";
    String valid = base + params + "}}],\"edges\":[]}";
    assertSame(valid.getBytes(StandardCharsets.UTF_8), SpecReader.Shape.SPEC, DagLimits.V1);
    String dup = base + params + ",\"k17\":0}}],\"edges\":[]}";
    assertSame(dup.getBytes(StandardCharsets.UTF_8), SpecReader.Shape.SPEC, DagLimits.V1);
    assertThat(Outcome.of(() -> ComputeDag.fromSpecJson(dup.getBytes(StandardCharsets.UTF_8),
        DagLimits.V1)).code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
  }
}
