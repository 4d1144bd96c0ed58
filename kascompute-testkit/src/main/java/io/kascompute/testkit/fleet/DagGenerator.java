package io.kascompute.testkit.fleet;

import io.kascompute.core.internal.JsonWriter;
import java.util.SplittableRandom;

/**
 * Generates layered ComputeDAGs as {@code POST /v1/dags/submit} request bodies: tasks in layers,
 * each task after the first layer depending on one to three tasks of the layer before.
 */
public final class DagGenerator {
  private DagGenerator() {}

  /**
   * The submit body of a layered DAG with {@code tasks} tasks, identical for equal arguments.
   *
   * @param name the DAG's name
   * @param tasks the number of tasks, at least 1
   * @param seed the seed of the random layout and work units
   */
  public static byte[] layeredSubmitBody(String name, int tasks, long seed) {
    if (tasks < 1) {
      throw new IllegalArgumentException("a DAG needs at least one task: " + tasks);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int width = Math.max(1, (int) Math.round(Math.sqrt(tasks) * 2));
    int digits = Integer.toString(tasks - 1).length();
    JsonWriter w = new JsonWriter(tasks * 96);
    w.raw('{').key("spec").raw('{').key("name").string(name);
    w.raw(',').key("nodes").raw('[');
    for (int i = 0; i < tasks; i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.raw('{').key("task_id").string(taskId(i, digits));
      w.raw(',').key("work_units").unsigned(1 + random.nextInt(1000));
      w.raw(',').key("task_type").string("sim").raw('}');
    }
    w.raw(']').raw(',').key("edges").raw('[');
    boolean first = true;
    for (int layerStart = width; layerStart < tasks; layerStart += width) {
      int prevStart = layerStart - width;
      int layerEnd = Math.min(tasks, layerStart + width);
      for (int t = layerStart; t < layerEnd; t++) {
        int deps = 1 + random.nextInt(3);
        int base = random.nextInt(width);
        for (int d = 0; d < Math.min(deps, width); d++) {
          int from = prevStart + (base + d) % width;
          if (!first) {
            w.raw(',');
          }
          first = false;
          w.raw('{').key("from").string(taskId(from, digits));
          w.raw(',').key("to").string(taskId(t, digits)).raw('}');
        }
      }
    }
    w.raw(']').raw('}').raw('}');
    return w.toByteArray();
  }

  private static String taskId(int index, int digits) {
    String n = Integer.toString(index);
    return "t" + "0".repeat(digits - n.length()) + n;
  }
}
