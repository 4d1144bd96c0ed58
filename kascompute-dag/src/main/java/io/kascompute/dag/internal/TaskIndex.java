package io.kascompute.dag.internal;

import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;

/**
 * Task id to task index in O(1): an open-addressing table of {@code index + 1} keyed by the id's
 * string hash (4 to 8 bytes per task), so that completion cost does not grow with the DAG as a
 * binary search over ids would.
 */
final class TaskIndex {
  private final ComputeDag dag;
  private final int[] slots;
  private final int mask;

  TaskIndex(ComputeDag dag) {
    this.dag = dag;
    int n = dag.taskCount();
    int capacity = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1; // power of two >= 2n
    slots = new int[capacity];
    mask = capacity - 1;
    for (int t = 0; t < n; t++) {
      int i = mix(dag.taskId(t).value().hashCode()) & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = t + 1;
    }
  }

  /** The task's index, or -1 if the DAG has no such task. */
  int indexOf(TaskId id) {
    String value = id.value();
    int i = mix(value.hashCode()) & mask;
    while (true) {
      int slot = slots[i];
      if (slot == 0) {
        return -1;
      }
      TaskId candidate = dag.taskId(slot - 1);
      if (candidate == id || candidate.value().equals(value)) {
        return slot - 1;
      }
      i = (i + 1) & mask;
    }
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
