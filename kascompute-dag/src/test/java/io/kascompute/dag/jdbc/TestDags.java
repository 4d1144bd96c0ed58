package io.kascompute.dag.jdbc;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ledger.AcceptedProof;

import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.dag.ComputeDag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Compiled DAGs for store tests: random DAGs whose task ids sort like their indexes. */
final class TestDags {
  private TestDags() {}

  /**
   * A random DAG of {@code n} tasks; task {@code j} depends on up to {@code maxDeps} earlier tasks
   * chosen from the previous {@code window}.
   */
  static ComputeDag random(String name, int n, int maxDeps, int window, long seed) {
    Random random = new Random(seed);
    ComputeDag.Builder b = ComputeDag.builder(name);
    for (int i = 0; i < n; i++) {
      String type = (i % 3 == 0) ? "" : "hash";
      if (i % 5 == 0) {
        Map<String, JsonValue> params = new LinkedHashMap<>();
        params.put("z", JsonNumber.parsed("1.50", 1.5));
        params.put("a", new JsonString("x\u00e9"));
        b.task(id(i), 1 + random.nextInt(1000), type, new JsonObject(params));
      } else {
        b.task(id(i), 1 + random.nextInt(1000), type);
      }
    }
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int j = 1; j < n; j++) {
      int deps = random.nextInt(maxDeps + 1);
      for (int k = 0; k < deps; k++) {
        int i = Math.max(0, j - 1 - random.nextInt(Math.min(window, j)));
        if (seen.add((long) i * n + j)) {
          b.edge(id(i), id(j));
        }
      }
    }
    return b.build();
  }

  private static String id(int i) {
    return String.format("t%07d", i);
  }

  /** {@code a -> c, b -> c, c -> d}: two roots, a join and a tail. */
  static ComputeDag diamond() {
    return ComputeDag.builder("diamond")
        .task("a", 1)
        .task("b", 2, "sim")
        .task("c", 3, "x")
        .task("d", 4)
        .edge("a", "c")
        .edge("b", "c")
        .edge("c", "d")
        .build();
  }

  /** The lease store of a fresh PostgreSQL store set on {@code dataSource}. */
  static JdbcLeaseStore leases(javax.sql.DataSource dataSource) {
    return (JdbcLeaseStore) JdbcStores.create(dataSource).leases();
  }

  /** An accepted task proof whose identity derives from {@code seed}, the run and the task. */
  static AcceptedProof taskProof(
      io.kascompute.core.RunId run, io.kascompute.core.TaskId task, io.kascompute.core.NodeId node,
      Sha256Digest seed) {
    // The record credits an identity once, so mix the unit into it: the same seed on another
    // task or run is another proof.
    Sha256Digest identity = Sha256Digest.hash((seed.hex() + "|" + run.value() + "|" + task.value())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new AcceptedProof(ProofKind.TASK, node, java.util.Optional.empty(),
        java.util.OptionalLong.empty(), java.util.Optional.of(run), java.util.Optional.of(task),
        java.util.Optional.of(identity), 1, java.util.Optional.empty(), 1, "test", 1,
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
        identity, 0, java.util.Optional.empty(), java.time.Instant.EPOCH, "test");
  }
}
