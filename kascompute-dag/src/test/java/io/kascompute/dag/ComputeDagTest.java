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
    "a", "b", "z", "0", "-", "\u00e9", "\"", "\\", "\ue000", "\uffef", "\ud83d\ude00", "\ud800\udc00"
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
      ids.add(b.toString());
    }
    List<String> order = new ArrayList<>(ids);
    List<IndependentDagHash.Node> nodes = new ArrayList<>();
    String[] types = {"", "", "sim", "gpu", "\ud83d\ude00"};
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
        new Case("empty", spec(ids()), d, List.of(ErrorCode.EMPTY_DAG)),
        new Case("empty with edges", spec(ids(), "a", "b"), d, List.of(ErrorCode.EMPTY_DAG)),
        new Case("duplicate id", spec(ids("a", "a")), d, List.of(ErrorCode.DUPLICATE_TASK_ID)),
        new Case("triplicate id reported once", spec(ids("a", "a", "a")), d,
            List.of(ErrorCode.DUPLICATE_TASK_ID)),
        new Case("two duplicate ids", spec(ids("b", "a", "b", "a")), d,
            List.of(ErrorCode.DUPLICATE_TASK_ID, ErrorCode.DUPLICATE_TASK_ID)),
        new Case("unknown from", spec(ids("a"), "x", "a"), d, List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("unknown to", spec(ids("a"), "a", "x"), d, List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("both unknown", spec(ids("a"), "x", "y"), d, List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("unknown self loop", spec(ids("a"), "x", "x"), d,
            List.of(ErrorCode.UNKNOWN_EDGE_TASK)),
        new Case("self loop", spec(ids("a"), "a", "a"), d, List.of(ErrorCode.SELF_LOOP)),
        new Case("duplicate edge", spec(ids("a", "b"), "a", "b", "a", "b"), d,
            List.of(ErrorCode.DUPLICATE_EDGE)),
        new Case("triplicate edge reported once", spec(ids("a", "b"), "a", "b", "a", "b", "a", "b"),
            d, List.of(ErrorCode.DUPLICATE_EDGE)),
        new Case("two-cycle", spec(ids("a", "b"), "a", "b", "b", "a"), d, List.of(ErrorCode.CYCLE)),
        new Case("three-cycle", spec(ids("a", "b", "c"), "a", "b", "b", "c", "c", "a"), d,
            List.of(ErrorCode.CYCLE)),
        new Case("two separate cycles", spec(ids("a", "b", "c", "d"), "a", "b", "b", "a", "c", "d",
            "d", "c"), d, List.of(ErrorCode.CYCLE, ErrorCode.CYCLE)),
        new Case("cycle below a root", spec(ids("r", "a", "b", "z"), "r", "a", "a", "b", "b", "a",
            "b", "z"), d, List.of(ErrorCode.CYCLE)),
        new Case("empty id", spec(ids("")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("id too long", spec(ids("abcde")), small, List.of(ErrorCode.INVALID_ID)),
        new Case("control char id", spec(ids("a\nb")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("lone surrogate id", spec(ids("a\ud800")), d, List.of(ErrorCode.INVALID_ID)),
        new Case("too many tasks", spec(ids("a", "b", "c", "d")), small,
            List.of(ErrorCode.TOO_MANY_TASKS)),
        new Case("too many edges", spec(ids("a", "b", "c"), "a", "b", "b", "c", "a", "c"), small,
            List.of(ErrorCode.TOO_MANY_EDGES)),
        new Case("counts checked before anything else", spec(ids("a", "a", "", "b"), "a", "a"),
            small, List.of(ErrorCode.TOO_MANY_TASKS)),
        new Case("every problem collected", spec(ids("", "a", "a", "b", "c"), "a", "q", "b", "b",
            "a", "b", "a", "b", "b", "c", "c", "b"), d,
            List.of(ErrorCode.INVALID_ID, ErrorCode.DUPLICATE_TASK_ID, ErrorCode.UNKNOWN_EDGE_TASK,
                ErrorCode.SELF_LOOP, ErrorCode.DUPLICATE_EDGE, ErrorCode.CYCLE)));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
    for (Case c : cases) {
      assertThat(codes(c.spec(), c.limits())).as(c.what()).isEqualTo(c.expected());
    }
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
}
