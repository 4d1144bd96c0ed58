package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Locale;

/** The state of one task of a run, as {@code GET /v1/runs/{run_id}/tasks} reports it. */
public enum TaskState {
  /** Some dependency is not completed yet. */
  PENDING,
  /** In the run's ready queue (including a reclaimed task whose last owner may still finish it). */
  READY,
  /** Leased to its owner. */
  RUNNING,
  /** Done, forever. */
  COMPLETED,
  /** Out of attempts; its dependents never run. */
  FAILED;

  /** The wire name, lowercase. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state with this wire name.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for any other text
   */
  public static TaskState fromWireName(String name) {
    for (TaskState s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "unknown task state \"" + name + "\"");
  }
}
