package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code error} member of an error envelope: a code and a message. A client keeps codes it
 * does not know (another coordinator may send them) as text; {@link #knownCode()} maps the SDK's.
 */
public record ApiError(String code, String message) {
  /** Checks that nothing is null. */
  public ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** The SDK's {@link ErrorCode} with this wire name, if it is one. */
  public Optional<ErrorCode> knownCode() {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.wireName().equals(code)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
