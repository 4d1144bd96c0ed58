package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Random acyclic DAG specs for tests: edges always go from a lower to a higher task number. */
final class RandomDags {
  private RandomDags() {}

  record Spec(int tasks, Set<long[]> edges, String submitBody) {
    void assertTopological(List<String> completionOrder) {
      Map<String, Integer> at = new HashMap<>();
      for (int i = 0; i < completionOrder.size(); i++) {
        at.put(completionOrder.get(i), i);
      }
      for (long[] e : edges) {
        assertThat(at.get(id((int) e[0]))).as("edge %s -> %s", id((int) e[0]), id((int) e[1]))
            .isLessThan(at.get(id((int) e[1])));
      }
    }
  }

  static String id(int i) {
    return String.format("t%05d", i);
  }

  static Spec random(int tasks, int edges, long seed) {
    Random rnd = new Random(seed);
    Set<Long> seen = new LinkedHashSet<>();
    Set<long[]> list = new LinkedHashSet<>();
    while (list.size() < edges) {
      int a = rnd.nextInt(tasks);
      int b = rnd.nextInt(tasks);
      if (a == b) {
        continue;
      }
      int from = Math.min(a, b);
      int to = Math.max(a, b);
      if (seen.add((long) from * tasks + to)) {
        list.add(new long[] {from, to});
      }
    }
    StringBuilder sb = new StringBuilder("{\"spec\":{\"name\":\"random-").append(seed).append("\",\"nodes\":[");
    for (int i = 0; i < tasks; i++) {
      sb.append(i > 0 ? "," : "").append("{\"task_id\":\"").append(id(i)).append("\",\"work_units\":")
          .append(1 + rnd.nextInt(1000)).append('}');
    }
    sb.append("],\"edges\":[");
    boolean first = true;
    for (long[] e : list) {
      sb.append(first ? "" : ",").append("{\"from\":\"").append(id((int) e[0]))
          .append("\",\"to\":\"").append(id((int) e[1])).append("\"}");
      first = false;
    }
    sb.append("]}}");
    return new Spec(tasks, list, sb.toString());
  }
}
