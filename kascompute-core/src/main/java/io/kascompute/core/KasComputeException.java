package io.kascompute.core;

import java.util.Objects;

/**
 * The one exception type the SDK throws for bad input, refused operations and store failures; it
 * always carries a stable {@link ErrorCode}.
 */
public class KasComputeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception with a code and a message that says what was wrong. */
  public KasComputeException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Creates an exception with a code, a message and the underlying cause. */
  public KasComputeException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable code of this error. */
  public ErrorCode code() {
    return code;
  }

  @Override
  public String toString() {
    return "KasComputeException[" + code.wireName() + "]: " + getMessage();
  }
}
