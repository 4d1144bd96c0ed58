package io.kascompute.dag.jdbc;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.internal.DagAccess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Compiled DAGs for store tests: random layered DAGs whose task ids sort like their indexes. */
final class TestDags {
  private TestDags() {}

  /**
   * A random DAG of {@code n} tasks; task {@code j} depends on up to {@code maxDeps} earlier tasks
   * chosen from the previous {@code window}.
   */
  static ComputeDag random(String name, int n, int maxDeps, int window, long seed) {
    Random random = new Random(seed);
    List<TreeSet<Integer>> dependents = new ArrayList<>(n);
    int[] inDegree = new int[n];
    for (int i = 0; i < n; i++) {
      dependents.add(new TreeSet<>());
    }
    int edges = 0;
    for (int j = 1; j < n; j++) {
      int deps = random.nextInt(maxDeps + 1);
      for (int k = 0; k < deps; k++) {
        int i = Math.max(0, j - 1 - random.nextInt(Math.min(window, j)));
        if (dependents.get(i).add(j)) {
          inDegree[j]++;
          edges++;
        }
      }
    }
    TaskId[] ids = new TaskId[n];
    long[] workUnits = new long[n];
    String[] types = new String[n];
    Sha256Digest[] hashes = new Sha256Digest[n];
    int[] start = new int[n + 1];
    int[] flat = new int[edges];
    int e = 0;
    for (int i = 0; i < n; i++) {
      ids[i] = TaskId.of(String.format("t%07d", i));
      workUnits[i] = 1 + random.nextInt(1000);
      types[i] = (i % 3 == 0) ? "" : "hash";
      hashes[i] = Sha256Digest.hash((name + "/" + ids[i].value()).getBytes(StandardCharsets.UTF_8));
      for (int d : dependents.get(i)) {
        flat[e++] = d;
      }
      start[i + 1] = e;
    }
    Sha256Digest root =
        Sha256Digest.hash((name + "#" + n + "#" + seed).getBytes(StandardCharsets.UTF_8));
    return DagAccess.factory()
        .create(name, root, ids, workUnits, types, hashes, inDegree, start, flat);
  }

  /** {@code a -> c, b -> c, c -> d}: two roots, a join and a tail. */
  static ComputeDag diamond() {
    TaskId[] ids = {TaskId.of("a"), TaskId.of("b"), TaskId.of("c"), TaskId.of("d")};
    Sha256Digest[] hashes = new Sha256Digest[4];
    for (int i = 0; i < 4; i++) {
      hashes[i] = Sha256Digest.hash(ids[i].value().getBytes(StandardCharsets.UTF_8));
    }
    return DagAccess.factory()
        .create(
            "diamond",
            Sha256Digest.hash("diamond".getBytes(StandardCharsets.UTF_8)),
            ids,
            new long[] {1, 2, 3, 4},
            new String[] {"", "sim", "x", ""},
            hashes,
            new int[] {0, 0, 2, 1},
            new int[] {0, 1, 2, 3, 3},
            new int[] {2, 2, 3});
  }
}
