package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a proof or signature: {@link Valid} or {@link Invalid} with one reason
 * code. There is no boolean to forget: call {@link #orThrow()} or switch over the two cases.
 */
public sealed interface Verdict permits Verdict.Valid, Verdict.Invalid {

  /** The one valid verdict. */
  static Verdict valid() {
    return Valid.INSTANCE;
  }

  /** An invalid verdict with a reason code and a message that says what was wrong. */
  static Verdict invalid(ErrorCode reason, String message) {
    return new Invalid(reason, message);
  }

  /** The verdict of a refused input. */
  static Verdict of(KasComputeException e) {
    return new Invalid(e.code(), e.getMessage());
  }

  /** Returns normally when valid; throws {@link KasComputeException} with the reason otherwise. */
  void orThrow();

  /** The reason code when invalid, empty when valid. */
  Optional<ErrorCode> reason();

  /** The verdict that everything checked out. */
  enum Valid implements Verdict {
    /** The single instance. */
    INSTANCE;

    @Override
    public void orThrow() {}

    @Override
    public Optional<ErrorCode> reason() {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "Valid";
    }
  }

  /** The verdict that a check failed, with its reason code. */
  record Invalid(ErrorCode code, String message) implements Verdict {
    /** Checks that nothing is null. */
    public Invalid {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public void orThrow() {
      throw new KasComputeException(code, message);
    }

    @Override
    public Optional<ErrorCode> reason() {
      return Optional.of(code);
    }
  }
}
