package io.kascompute.dag;

import io.kascompute.core.ErrorCode;
import java.util.Objects;

/**
 * One problem found while validating a DAG spec.
 *
 * @param code the stable error code, such as {@link ErrorCode#CYCLE}
 * @param message what was wrong, naming the offending task ids
 */
public record DagProblem(ErrorCode code, String message) {
  /** Checks that nothing is null. */
  public DagProblem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return code.wireName() + ": " + message;
  }
}
