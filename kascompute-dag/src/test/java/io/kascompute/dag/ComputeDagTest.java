package io.kascompute.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonBoolean;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.wire.DagSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ComputeDagTest {
  private static final String[] ALPHABET = {
    "a", "b", "z", "0", "-", "\u00e9", "\"", "\\", "\ue000", "\uffef", "\ud83d\ude00", "\ud800\udc00",
    "\u0001", "\u007f", " ", "\u00a0"
  };

  /** A random acyclic DAG in both representations, from one seed. */
  record Sample(
      String name,
      List<IndependentDagHash.Node> nodes,
      List<IndependentDagHash.Edge> edges) {
    DagSpec spec() {
      List<DagSpec.Node> ns = new ArrayList<>();
      for (IndependentDagHash.Node n : nodes) {
        ns.add(new DagSpec.Node(n.id(), n.workUnits(), n.type(), toJson(n.params())));
      }
      List<DagSpec.Edge> es = new ArrayList<>();
      for (IndependentDagHash.Edge e : edges) {
        es.add(new DagSpec.Edge(e.from(), e.to()));
      }
      return new DagSpec(name, ns, es);
    }
  }

  static Sample sample(long seed) {
    Random r = new Random(seed);
    Set<String> ids = new LinkedHashSet<>();
    int n = 1 + r.nextInt(25);
    while (ids.size() < n) {
      StringBuilder b = new StringBuilder();
      int len = 1 + r.nextInt(4);
      for (int i = 0; i < len; i++) {
        b.append(ALPHABET[r.nextInt(ALPHABET.length)]);
      }
      if (!IndependentDagHash.blank(b.toString())) {
        ids.add(b.toString());
      }
    }
    List<String> order = new ArrayList<>(ids);
    List<IndependentDagHash.Node> nodes = new ArrayList<>();
    String[] types = {"", "", "sim", "gpu", "\ud83d\ude00", " ", "\u3000\t", " gpu "};
    for (String id : order) {
      long wu = switch (r.nextInt(4)) {
        case 0 -> -1L;
        case 1 -> r.nextLong();
        default -> r.nextInt(1000);
      };
      nodes.add(new IndependentDagHash.Node(id, wu, types[r.nextInt(types.length)], params(r, 2)));
    }
    List<IndependentDagHash.Edge> edges = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        if (r.nextInt(4) == 0) {
          edges.add(new IndependentDagHash.Edge(order.get(i), order.get(j)));
          if (r.nextInt(8) == 0) {
            edges.add(new IndependentDagHash.Edge(order.get(i), order.get(j)));
          }
        }
      }
    }
    Collections.shuffle(edges, r);
    return new Sample("dag " + ALPHABET[r.nextInt(ALPHABET.length)], nodes, edges);
  }

  static Object params(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0 -> IndependentDagHash.NULL;
      case 1 -> r.nextBoolean();
      case 2 -> ALPHABET[r.nextInt(ALPHABET.length)] + "\n";
      case 3 -> r.nextLong();
      case 4 -> BigDecimal.valueOf(r.nextInt(1000) * 4 + 1 + r.nextInt(3)).divide(BigDecimal.valueOf(4));
      case 5 -> IndependentDagHash.NULL;
      case 6 -> {
        List<Object> l = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          l.add(params(r, depth - 1));
        }
        yield l;
      }
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          m.put(ALPHABET[r.nextInt(ALPHABET.length)] + ALPHABET[r.nextInt(ALPHABET.length)],
              params(r, depth - 1));
        }
        yield m;
      }
    };
  }

  @SuppressWarnings("unchecked")
  static JsonValue toJson(Object v) {
    if (v == IndependentDagHash.NULL) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Boolean b) {
      return JsonBoolean.of(b);
    }
    if (v instanceof String s) {
      return new JsonString(s);
    }
    if (v instanceof Long l) {
      return JsonNumber.of(l);
    }
    if (v instanceof BigDecimal d) {
      return JsonNumber.parsed(d.toPlainString(), d.doubleValue());
    }
    if (v instanceof List<?> list) {
      List<JsonValue> out = new ArrayList<>();
      for (Object o : list) {
        out.add(toJson(o));
      }
      return new JsonArray(out);
    }
    Map<String, JsonValue> m = new LinkedHashMap<>();
    ((Map<String, Object>) v).forEach((k, x) -> m.put(k, toJson(x)));
    return new JsonObject(m);
  }

  @Property(tries = 300)
  void hashesMatchTheIndependentImplementation(@ForAll long seed) throws Exception {
    Sample s = sample(seed);
    ComputeDag dag = ComputeDag.compile(s.spec());
    IndependentDagHash.Result expected = IndependentDagHash.hash(s.name(), s.nodes(), s.edges());
    assertThat(new String(dag.canonicalSpecBytes(), StandardCharsets.UTF_8))
        .isEqualTo(new String(expected.canonical(), StandardCharsets.UTF_8));
    assertThat(dag.rootHash().hex()).isEqualTo(expected.root());
    assertThat(dag.id().value()).isEqualTo(expected.root());
    List<String> expectedOrder = new ArrayList<>(expected.taskHashes().keySet());
    assertThat(dag.taskCount()).isEqualTo(expectedOrder.size());
    for (int i = 0; i < dag.taskCount(); i++) {
      assertThat(dag.taskId(i).value()).isEqualTo(expectedOrder.get(i));
      assertThat(dag.taskHash(i).hex()).isEqualTo(expected.taskHashes().get(expectedOrder.get(i)));
    }
    assertThat(dag.edgeCount()).isEqualTo(s.edges().size());
  }

  @Property(tries = 200)
  void hashesDoNotDependOnInputOrder(@ForAll long seed) {
    Sample s = sample(seed);
    DagSpec spec = s.spec();
    Random r = new Random(seed ^ 0x5eed);
    List<DagSpec.Node> nodes = new ArrayList<>();
    for (DagSpec.Node n : spec.nodes()) {
      nodes.add(new DagSpec.Node(n.taskId(), n.workUnits(), n.taskType(), shuffleKeys(n.params(), r)));
    }
    Collections.shuffle(nodes, r);
    List<DagSpec.Edge> edges = new ArrayList<>(spec.edges());
    Collections.shuffle(edges, r);
    ComputeDag a = ComputeDag.compile(spec);
    ComputeDag b = ComputeDag.compile(new DagSpec(spec.name(), nodes, edges));
    assertThat(b.rootHash()).isEqualTo(a.rootHash());
    for (int i = 0; i < a.taskCount(); i++) {
      assertThat(b.taskId(i)).isEqualTo(a.taskId(i));
      assertThat(b.taskHash(i)).isEqualTo(a.taskHash(i));
    }
    assertThat(b.canonicalSpecBytes()).isEqualTo(a.canonicalSpecBytes());
  }

  static JsonValue shuffleKeys(JsonValue v, Random r) {
    if (v instanceof JsonObject o) {
      List<String> keys = new ArrayList<>(o.members().keySet());
      Collections.shuffle(keys, r);
      Map<String, JsonValue> m = new LinkedHashMap<>();
      for (String k : keys) {
        m.put(k, shuffleKeys(o.members().get(k), r));
      }
      return new JsonObject(m);
    }
    if (v instanceof JsonArray a) {
      List<JsonValue> out = new ArrayList<>();
      for (JsonValue e : a.elements()) {
        out.add(shuffleKeys(e, r));
      }
      return new JsonArray(out);
    }
    return v;
  }

  @Test
  void codePointOrderDiffersFromUtf16Order() {
    ComputeDag dag = ComputeDag.builder("order").task("\ud83d\ude00", 1).task("\uffef", 1).build();
    assertThat(dag.taskId(0).value()).isEqualTo("\uffef");
    assertThat(dag.taskId(1).value()).isEqualTo("\ud83d\ude00");
    assertThat(dag.indexOf(TaskId.of("\ud83d\ude00"))).hasValue(1);
    assertThat(dag.indexOf(TaskId.of("nope"))).isEmpty();
  }

  @Test
  void builderCompilesStructureLevelsAndCriticalPath() {
    ComputeDag dag = ComputeDag.builder("diamond")
        .task("a", 5)
        .task("b", 3, "gpu")
        .task("c", 10, "", new JsonObject(Map.of("k", JsonNumber.of(1))))
        .task("d", 1)
        .edge("a", "b").edge("a", "c").edge("b", "d").edge("c", "d")
        .build();
    assertThat(dag.taskCount()).isEqualTo(4);
    assertThat(dag.edgeCount()).isEqualTo(4);
    assertThat(dag.roots()).containsExactly(0);
    assertThat(dag.inDegree(3)).isEqualTo(2);
    assertThat(dag.dependentCount(0)).isEqualTo(2);
    assertThat(dag.dependent(0, 0)).isEqualTo(1);
    assertThat(dag.dependent(0, 1)).isEqualTo(2);
    assertThat(dag.level(3)).isEqualTo(2);
    assertThat(dag.levelCount()).isEqualTo(3);
    assertThat(dag.criticalPathWorkUnits()).isEqualTo(16);
    assertThat(dag.totalWorkUnits()).isEqualTo(19);
    assertThat(dag.taskType(0)).isEqualTo("sim");
    assertThat(dag.rawTaskType(0)).isEmpty();
    assertThat(dag.taskType(1)).isEqualTo("gpu");
    assertThat(new String(dag.canonicalSpecBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"name\":\"diamond\",\"nodes\":["
            + "{\"task_id\":\"a\",\"work_units\":5,\"task_type\":\"sim\",\"params\":null},"
            + "{\"task_id\":\"b\",\"work_units\":3,\"task_type\":\"gpu\",\"params\":null},"
            + "{\"task_id\":\"c\",\"work_units\":10,\"task_type\":\"sim\",\"params\":{\"k\":1}},"
            + "{\"task_id\":\"d\",\"work_units\":1,\"task_type\":\"sim\",\"params\":null}],"
            + "\"edges\":[{\"from\":\"a\",\"to\":\"b\"},{\"from\":\"a\",\"to\":\"c\"},"
            + "{\"from\":\"b\",\"to\":\"d\"},{\"from\":\"c\",\"to\":\"d\"}]}");
    assertThat(ComputeDag.compile(dag.toSpec()).rootHash()).isEqualTo(dag.rootHash());
  }

  @Test
  void criticalPathSaturatesAtU64Max() {
    ComputeDag dag = ComputeDag.builder("big").task("a", -1L).task("b", 5).edge("a", "b").build();
    assertThat(dag.criticalPathWorkUnits()).isEqualTo(-1L);
    assertThat(dag.totalWorkUnits()).isEqualTo(-1L);
  }

  @Test
  void numbersInParamsFollowTheDocumentedRule() {
    assertThat(paramsText(JsonNumber.parsed("-0", -0.0))).isEqualTo("0");
    assertThat(paramsText(JsonNumber.parsed("1E2", 100.0))).isEqualTo("100");
    assertThat(paramsText(JsonNumber.parsed("1.0", 1.0))).isEqualTo("1");
    assertThat(paramsText(JsonNumber.parsed("18446744073709551615", 1.8446744073709552E19)))
        .isEqualTo("18446744073709551615");
    assertThat(paramsText(JsonNumber.parsed("-9223372036854775808", -9.223372036854776E18)))
        .isEqualTo("-9223372036854775808");
    assertThat(paramsText(JsonNumber.parsed("18446744073709551616", 1.8446744073709552E19)))
        .isEqualTo("18446744073709552000");
    assertThat(paramsText(JsonNumber.parsed("-9223372036854775809", -9.223372036854776E18)))
        .isEqualTo("-9223372036854776000");
    assertThat(paramsText(JsonNumber.parsed("1e21", 1e21))).isEqualTo("1e+21");
  }

  private static String paramsText(JsonValue v) {
    ComputeDag dag = ComputeDag.builder("n").task("t", 1, "", v).build();
    String s = new String(dag.canonicalSpecBytes(), StandardCharsets.UTF_8);
    return s.substring(s.indexOf("\"params\":") + 9, s.indexOf("}],\"edges\""));
  }

  @Test
  void largeDagCompilesQuickly() {
    int n = 200_000;
    Random r = new Random(42);
    List<DagSpec.Node> nodes = new ArrayList<>(n);
    List<DagSpec.Edge> edges = new ArrayList<>(2 * n);
    for (int i = 0; i < n; i++) {
      nodes.add(new DagSpec.Node("task-" + i, 1 + r.nextInt(100), "", JsonNull.INSTANCE));
      if (i > 0) {
        edges.add(new DagSpec.Edge("task-" + r.nextInt(i), "task-" + i));
        int other = r.nextInt(i);
        if (!edges.get(edges.size() - 1).from().equals("task-" + other)) {
          edges.add(new DagSpec.Edge("task-" + other, "task-" + i));
        }
      }
    }
    long t0 = System.nanoTime();
    ComputeDag dag = ComputeDag.compile(new DagSpec("scale", nodes, edges));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(dag.taskCount()).isEqualTo(n);
    assertThat(dag.edgeCount()).isEqualTo(edges.size());
    assertThat(dag.roots()).hasSize(1);
    // A hang guard only: the machine is shared, so timing targets live in DagBench.
    assertThat(ms).isLessThan(60_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Bad-spec catalogue: every case gets exact codes, in order.

  private static List<ErrorCode> codes(DagSpec spec, DagLimits limits) {
    try {
      ComputeDag.compile(spec, limits);
    } catch (DagValidationException e) {
      assertThat(e.code()).isEqualTo(e.problems().get(0).code());
      return e.problems().stream().map(DagProblem::code).toList();
    }
    throw new AssertionError("spec was accepted");
  }

  private static DagSpec spec(String[] ids, String... edgePairs) {
    List<DagSpec.Node> nodes = new ArrayList<>();
    for (String id : ids) {
      nodes.add(new DagSpec.Node(id, 1, "", JsonNull.INSTANCE));
    }
    List<DagSpec.Edge> edges = new ArrayList<>();
    for (int i = 0; i < edgePairs.length; i += 2) {
      edges.add(new DagSpec.Edge(edgePairs[i], edgePairs[i + 1]));
    }
    return new DagSpec("bad", nodes, edges);
  }

  private static String[] ids(String... ids) {
    return ids;
  }

  @Test
  void badSpecCatalogue() {
    DagLimits d = DagLimits.DEFAULT;
    DagLimits small = new DagLimits(3, 2, 4);
    record Case(String what, DagSpec spec, DagLimits limits, List<ErrorCode> expected) {}
    List<Case> cases = List.of(
        new Case("duplicate id", spec(ids("a", "a")), d, List.of(ErrorCode.DUPLICATE_TASK_ID)),
        new Case("triplicate id reported once", spec(ids("a", "a", "a")), d,
            List.of(ErrorCode.DUPLICATE_TASK_ID)),
        new Case("two duplicate ids", spec(ids("b", "a", "b", "a")), d,
            List.of(ErrorCode.DUPLICATE_TASK_ID, ErrorCode.DUPLICATE_TASK_ID)),
        new Case("unknown from", spec(ids("a"), "x", "a"), d, List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("unknown to", spec(ids("a"), "a", "x"), d, List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("both unknown", spec(ids("a"), "x", "y"), d, List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("edges of an empty DAG", spec(ids(), "a", "b"), d,
            List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("unknown self loop is a self loop", spec(ids("a"), "x", "x"), d,
            List.of(ErrorCode.SELF_LOOP)),
        new Case("self loop", spec(ids("a"), "a", "a"), d, List.of(ErrorCode.SELF_LOOP)),
        new Case("two-cycle", spec(ids("a", "b"), "a", "b", "b", "a"), d, List.of(ErrorCode.CYCLE)),
        new Case("two-cycle through a repeated edge", spec(ids("a", "b"), "a", "b", "a", "b", "b",
            "a"), d, List.of(ErrorCode.CYCLE)),
        new Case("three-cycle", spec(ids("a", "b", "c"), "a", "b", "b", "c", "c", "a"), d,
            List.of(ErrorCode.CYCLE)),
        new Case("two separate cycles", spec(ids("a", "b", "c", "d"), "a", "b", "b", "a", "c", "d",
            "d", "c"), d, List.of(ErrorCode.CYCLE, ErrorCode.CYCLE)),
        new Case("cycle below a root", spec(ids("r", "a", "b", "z"), "r", "a", "a", "b", "b", "a",
            "b", "z"), d, List.of(ErrorCode.CYCLE)),
        new Case("empty id", spec(ids("")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("space-only id", spec(ids(" ")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("ideographic-space id", spec(ids("\u3000\u2028")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("blank id twice reported once", spec(ids(" ", " ")), d,
            List.of(ErrorCode.INVALID_ID)),
        new Case("lone surrogate id", spec(ids("a\ud800")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("too many tasks", spec(ids("a", "b", "c", "d")), small,
            List.of(ErrorCode.TOO_MANY_TASKS)),
        new Case("too many edges", spec(ids("a", "b", "c"), "a", "b", "b", "c", "a", "c"), small,
            List.of(ErrorCode.TOO_MANY_EDGES)),
        new Case("repeated edges count against the edge limit", spec(ids("a", "b"), "a", "b", "a",
            "b", "a", "b"), small, List.of(ErrorCode.TOO_MANY_EDGES)),
        new Case("canonical size", spec(ids("a")), d.withMaxCanonicalSpecBytes(64),
            List.of(ErrorCode.VALUE_TOO_LARGE)),
        new Case("counts checked before anything else", spec(ids("a", "a", "", "b"), "a", "a"),
            small, List.of(ErrorCode.TOO_MANY_TASKS)),
        new Case("nodes in document order, then edges in document order, then cycles",
            spec(ids("a", " ", "a", "b", "c", "\t"), "a", "q", "b", "b", "a", "b", "a", "b", "b",
                "c", "c", "b"), d,
            List.of(ErrorCode.INVALID_ID, ErrorCode.DUPLICATE_TASK_ID, ErrorCode.INVALID_ID,
                ErrorCode.UNKNOWN_EDGE_TASK, ErrorCode.SELF_LOOP, ErrorCode.CYCLE)));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
    for (Case c : cases) {
      assertThat(codes(c.spec(), c.limits())).as(c.what()).isEqualTo(c.expected());
    }
  }

  @Test
  void whatOnlyAdmissionRefusesCompiles() {
    // Empty, control characters, repeated edges, long ids: V1 hashes them all.
    assertThat(ComputeDag.compile(spec(ids())).taskCount()).isZero();
    assertThat(ComputeDag.compile(spec(ids("a\nb", "\u0000", "\u007f"))).taskCount()).isEqualTo(3);
    ComputeDag repeated = ComputeDag.compile(spec(ids("a", "b"), "a", "b", "a", "b"));
    assertThat(repeated.edgeCount()).isEqualTo(2);
    assertThat(repeated.duplicateEdgeCount()).isEqualTo(1);
    assertThat(repeated.inDegree(1)).isEqualTo(1);
    assertThat(repeated.dependentCount(0)).isEqualTo(1);
    assertThat(ComputeDag.compile(spec(ids("x".repeat(5000))), new DagLimits(3, 2, 4)).taskCount())
        .isEqualTo(1);
  }

  @Test
  void messagesNameTheOffendingIds() {
    assertThatThrownBy(() -> ComputeDag.compile(spec(ids("a", "b", "c"), "a", "b", "b", "c", "c", "a")))
        .isInstanceOf(DagValidationException.class)
        .hasMessageContaining("\"a\" -> \"b\" -> \"c\" -> \"a\"");
    assertThatThrownBy(() -> ComputeDag.compile(spec(ids("a"), "a", "ghost")))
        .hasMessageContaining("\"ghost\"");
    assertThatThrownBy(() -> ComputeDag.compile(spec(ids("dup", "dup"))))
        .hasMessageContaining("\"dup\"");
  }

  @Test
  void problemListIsCappedAndCounted() {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < DagValidationException.MAX_PROBLEMS + 5; i++) {
      pairs.add("a");
      pairs.add("ghost" + i);
    }
    DagValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
        DagValidationException.class,
        () -> ComputeDag.compile(spec(ids("a"), pairs.toArray(new String[0]))));
    assertThat(e.problems()).hasSize(DagValidationException.MAX_PROBLEMS);
    assertThat(e.suppressedProblems()).isEqualTo(5);
  }

  // ---------------------------------------------------------------------------------------------
  // What deployed V1 accepts, with root and task hashes from the independent implementation.

  private static IndependentDagHash.Node node(String id, long units, String type, Object params) {
    return new IndependentDagHash.Node(id, units, type, params);
  }

  private static IndependentDagHash.Node node(String id) {
    return node(id, 1, "", IndependentDagHash.NULL);
  }

  private static IndependentDagHash.Edge edge(String from, String to) {
    return new IndependentDagHash.Edge(from, to);
  }

  /** The spec as JSON text: types left out when empty, edges as arrays every other time if asked. */
  static String json(String name, List<IndependentDagHash.Node> nodes,
      List<IndependentDagHash.Edge> edges, boolean arrayEdges, boolean extras) {
    StringBuilder b = new StringBuilder("{\"spec\":{");
    if (extras) {
      b.append("\"version\":[1,{\"x\":null}],");
    }
    b.append("\"name\":").append(IndependentDagHash.str(name)).append(",\"nodes\":[");
    for (int i = 0; i < nodes.size(); i++) {
      IndependentDagHash.Node n = nodes.get(i);
      b.append(i == 0 ? "" : ",").append("{");
      if (extras) {
        b.append("\"note\":{\"deep\":[true,false]},");
      }
      b.append("\"work_units\":").append(Long.toUnsignedString(n.workUnits()))
          .append(",\"task_id\":").append(IndependentDagHash.str(n.id()));
      if (!n.type().isEmpty()) {
        b.append(",\"task_type\":").append(IndependentDagHash.str(n.type()));
      } else if (extras) {
        b.append(",\"task_type\":null");
      }
      if (n.params() != IndependentDagHash.NULL) {
        b.append(",\"params\":").append(IndependentDagHash.value(n.params()));
      }
      b.append('}');
    }
    b.append("],\"edges\":[");
    for (int i = 0; i < edges.size(); i++) {
      IndependentDagHash.Edge e = edges.get(i);
      b.append(i == 0 ? "" : ",");
      if (arrayEdges && i % 2 == 0) {
        b.append('[').append(IndependentDagHash.str(e.from())).append(',')
            .append(IndependentDagHash.str(e.to())).append(']');
      } else {
        b.append("{\"to\":").append(IndependentDagHash.str(e.to())).append(",\"from\":")
            .append(IndependentDagHash.str(e.from())).append(extras ? ",\"w\":2}" : "}");
      }
    }
    return b.append("]}").append(extras ? ",\"client\":\"x\"}" : "}").toString();
  }

  record V1Case(String what, String name, List<IndependentDagHash.Node> nodes,
      List<IndependentDagHash.Edge> edges, boolean arrayEdges, boolean extras) {}

  static List<V1Case> v1Catalogue() {
    List<V1Case> cases = new ArrayList<>();
    cases.add(new V1Case("control characters in task ids", "controls",
        List.of(node("\u0000"), node("a\u0001b"), node("\u001f"), node("\u007f"),
            node("tab\there"), node("nl\n")),
        List.of(edge("\u0000", "nl\n"), edge("a\u0001b", "\u007f")), false, false));
    for (char c : IndependentDagHash.WHITE_SPACE.toCharArray()) {
      String ws = String.valueOf(c);
      cases.add(new V1Case(String.format("task type U+%04X", (int) c), "ws",
          List.of(node("t", 5, ws, IndependentDagHash.NULL), node("u", 6, ws + ws + ws, 7L)),
          List.of(edge("t", "u")), false, false));
    }
    for (String keep : List.of("\u200b", "\u180e", "\ufeff", "\u001c", "\u001f", " gpu ",
        "\u00a0x")) {
      cases.add(new V1Case(String.format("task type %s kept", IndependentDagHash.str(keep)),
          "kept", List.of(node("t", 5, keep, IndependentDagHash.NULL)), List.of(), false, false));
    }
    cases.add(new V1Case("empty node list", "empty", List.of(), List.of(), false, false));
    cases.add(new V1Case("repeated edges stay", "dups",
        List.of(node("a"), node("b"), node("c")),
        List.of(edge("b", "c"), edge("a", "b"), edge("b", "c"), edge("a", "b"), edge("b", "c")),
        false, false));
    cases.add(new V1Case("edges as arrays", "arrays", List.of(node("a"), node("b"), node("c")),
        List.of(edge("a", "b"), edge("b", "c"), edge("a", "c")), true, false));
    cases.add(new V1Case("ids with surrounding whitespace kept", "trim",
        List.of(node(" a"), node("a "), node("\u3000b\u3000"), node("a")),
        List.of(edge(" a", "a "), edge("a", "\u3000b\u3000")), false, false));
    cases.add(new V1Case("unknown fields skipped, null type and params", "extras",
        List.of(node("x", 3, "", IndependentDagHash.NULL), node("y", 4, "cpu", true)),
        List.of(edge("x", "y")), true, true));
    cases.add(new V1Case("u64 extremes", "units", List.of(node("max", -1L, "", 0L),
        node("zero", 0, "", Long.MIN_VALUE)), List.of(), false, false));
    return cases;
  }

  @Test
  void v1CatalogueHashesAsTheIndependentImplementation() throws Exception {
    List<V1Case> cases = v1Catalogue();
    assertThat(cases).hasSizeGreaterThan(30);
    for (V1Case c : cases) {
      IndependentDagHash.Result expected = IndependentDagHash.hash(c.name(), c.nodes(), c.edges());
      byte[] json = json(c.name(), c.nodes(), c.edges(), c.arrayEdges(), c.extras())
          .getBytes(StandardCharsets.UTF_8);
      ComputeDag streamed = ComputeDag.fromSubmitBodyOrSpec(json, DagLimits.V1);
      ComputeDag tree = ComputeDag.compile(DagSpec.fromSubmitBody(
          (JsonObject) io.kascompute.core.json.StrictJsonReader.withDefaults().read(json)));
      for (ComputeDag dag : List.of(streamed, tree)) {
        assertThat(new String(dag.canonicalSpecBytes(), StandardCharsets.UTF_8)).as(c.what())
            .isEqualTo(new String(expected.canonical(), StandardCharsets.UTF_8));
        assertThat(dag.rootHash().hex()).as(c.what()).isEqualTo(expected.root());
        List<String> order = new ArrayList<>(expected.taskHashes().keySet());
        assertThat(dag.taskCount()).as(c.what()).isEqualTo(order.size());
        for (int i = 0; i < dag.taskCount(); i++) {
          String id = order.get(i);
          assertThat(dag.taskIdString(i)).as(c.what()).isEqualTo(id);
          assertThat(dag.taskHash(i).hex()).as(c.what() + " " + id)
              .isEqualTo(expected.taskHashes().get(id));
          IndependentDagHash.Node n = c.nodes().stream().filter(x -> x.id().equals(id))
              .findFirst().orElseThrow();
          assertThat(dag.rawTaskType(i)).isEqualTo(n.type());
          assertThat(dag.taskType(i)).isEqualTo(IndependentDagHash.blank(n.type()) ? "sim" : n.type());
        }
        assertThat(dag.edgeCount()).as(c.what()).isEqualTo(c.edges().size());
      }
    }
  }

  @Test
  void taskIdUtf8IsTheIdsBytesInTaskOrder() {
    ComputeDag dag = ComputeDag.builder("utf8").task("\u00e9t\u00e9", 1).task("a\"b", 2)
        .task("\ud83d\ude00", 3).build();
    for (int i = 0; i < dag.taskCount(); i++) {
      assertThat(dag.taskIdUtf8(i)).isEqualTo(dag.taskIdString(i).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(dag.taskIdUtf8(0)).isEqualTo("a\"b".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> dag.taskIdUtf8(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void blankTaskIdsAreRefusedForEveryWhitespaceCharacter() {
    for (char c : IndependentDagHash.WHITE_SPACE.toCharArray()) {
      String id = String.valueOf(c) + c;
      byte[] json = json("b", List.of(node(id), node("ok")), List.of(), false, false)
          .getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> ComputeDag.fromSubmitBodyOrSpec(json, DagLimits.V1))
          .as("U+%04X", (int) c)
          .isInstanceOf(DagValidationException.class)
          .extracting(e -> ((DagValidationException) e).code()).isEqualTo(ErrorCode.INVALID_ID);
      assertThat(codes(spec(ids(id, "ok")), DagLimits.DEFAULT)).containsExactly(ErrorCode.INVALID_ID);
    }
    // Characters Java calls whitespace but Unicode does not (U+001C..U+001F) make valid ids.
    assertThat(ComputeDag.compile(spec(ids("\u001c", "\u001f"))).taskCount()).isEqualTo(2);
  }

  @Test
  void duplicateEdgesCountOnceForScheduling() {
    ComputeDag dag = ComputeDag.builder("d").task("a", 1).task("b", 2).task("c", 3)
        .edge("a", "c").edge("a", "c").edge("b", "c").edge("a", "c").build();
    assertThat(dag.edgeCount()).isEqualTo(4);
    assertThat(dag.duplicateEdgeCount()).isEqualTo(2);
    assertThat(dag.inDegree(2)).isEqualTo(2);
    assertThat(dag.dependentCount(0)).isEqualTo(1);
    assertThat(dag.roots()).containsExactly(0, 1);
    assertThat(dag.toSpec().edges()).hasSize(4);
    assertThat(ComputeDag.compile(dag.toSpec()).rootHash()).isEqualTo(dag.rootHash());
  }

  @Test
  void aLongCycleIsNamedByItsEnds() {
    int n = 200_000;
    StringBuilder b = new StringBuilder("{\"name\":\"ring\",\"nodes\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"task_id\":\"t").append(i).append("\",\"work_units\":1}");
    }
    b.append("],\"edges\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("[\"t").append(i).append("\",\"t").append((i + 1) % n).append("\"]");
    }
    byte[] json = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    DagValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
        DagValidationException.class, () -> ComputeDag.fromSpecJson(json, DagLimits.DEFAULT));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.code()).isEqualTo(ErrorCode.CYCLE);
    assertThat(e.getMessage()).startsWith("the dependencies form a cycle: \"t0\" -> \"t1\" -> ")
        .contains("(199984 more tasks)").endsWith("\"t199999\" -> \"t0\"").hasSizeLessThan(400);
  }
}
