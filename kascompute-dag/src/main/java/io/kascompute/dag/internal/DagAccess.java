package io.kascompute.dag.internal;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import java.util.Objects;

/**
 * Lets SDK stores outside the {@code io.kascompute.dag} package rebuild a {@link ComputeDag} from
 * its persisted compact form without recompiling it; not part of the public API.
 */
public final class DagAccess {
  private static volatile Factory factory;

  private DagAccess() {}

  /** Builds a compiled DAG from its compact arrays, taken as they are (no copy, no validation). */
  @FunctionalInterface
  public interface Factory {
    /** Creates the DAG; the arrays must describe a DAG that was compiled before. */
    ComputeDag create(
        String name,
        Sha256Digest rootHash,
        TaskId[] taskIds,
        long[] workUnits,
        String[] taskTypes,
        Sha256Digest[] taskHashes,
        int[] inDegree,
        int[] dependentStart,
        int[] dependents);
  }

  /** Called once by {@link ComputeDag}'s class initializer. */
  public static void install(Factory f) {
    factory = Objects.requireNonNull(f, "factory");
  }

  /** The factory, initializing {@link ComputeDag} if needed. */
  public static Factory factory() {
    Factory f = factory;
    if (f == null) {
      try {
        Class.forName(ComputeDag.class.getName(), true, ComputeDag.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      f = factory;
    }
    return f;
  }
}
