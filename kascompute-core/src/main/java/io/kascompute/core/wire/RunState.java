package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Locale;

/** The state of a run as a whole, as {@code GET /v1/runs/{run_id}} reports it ({@code state}). */
public enum RunState {
  /** Tasks remain that can still run. */
  RUNNING,
  /** Every task completed. */
  COMPLETED,
  /** Some task failed for good and nothing is ready or running. */
  FAILED;

  /** The wire name: {@code running}, {@code completed} or {@code failed}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the run takes no more grants. */
  public boolean finished() {
    return this != RUNNING;
  }

  /**
   * The state with this wire name.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for any other text
   */
  public static RunState fromWireName(String name) {
    for (RunState s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "unknown run state \"" + name + "\"");
  }
}
