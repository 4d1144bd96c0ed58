package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.payload.SignatureScheme;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a proof or signature: {@link Valid} with the {@link SignatureScheme}
 * that verified, or {@link Invalid} with one reason code. There is no boolean to forget: call
 * {@link #orThrow()} or switch over the two cases.
 */
public sealed interface Verdict permits Verdict.Valid, Verdict.Invalid {

  /** The verdict that the signature verified in {@code scheme}. */
  static Verdict valid(SignatureScheme scheme) {
    return Valid.of(scheme);
  }

  /** An invalid verdict with a reason code and a message that says what was wrong. */
  static Verdict invalid(ErrorCode reason, String message) {
    return new Invalid(reason, message);
  }

  /** The verdict of a refused input. */
  static Verdict of(KasComputeException e) {
    return new Invalid(e.code(), e.getMessage());
  }

  /**
   * The scheme that verified, when valid.
   *
   * @throws KasComputeException with the reason code when invalid
   */
  SignatureScheme orThrow();

  /** The reason code when invalid, empty when valid. */
  Optional<ErrorCode> reason();

  /** The scheme that verified when valid, empty when invalid. */
  Optional<SignatureScheme> scheme();

  /** The verdict that everything checked out, and in which scheme the signature verified. */
  record Valid(SignatureScheme signedWith) implements Verdict {
    private static final Valid DIGEST = new Valid(SignatureScheme.DIGEST);
    private static final Valid LAUNCHER = new Valid(SignatureScheme.LAUNCHER);

    /** Checks that the scheme is not null. */
    public Valid {
      Objects.requireNonNull(signedWith, "signedWith");
    }

    static Valid of(SignatureScheme scheme) {
      return Objects.requireNonNull(scheme, "scheme") == SignatureScheme.DIGEST ? DIGEST : LAUNCHER;
    }

    @Override
    public SignatureScheme orThrow() {
      return signedWith;
    }

    @Override
    public Optional<ErrorCode> reason() {
      return Optional.empty();
    }

    @Override
    public Optional<SignatureScheme> scheme() {
      return Optional.of(signedWith);
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
    public SignatureScheme orThrow() {
      throw new KasComputeException(code, message);
    }

    @Override
    public Optional<ErrorCode> reason() {
      return Optional.of(code);
    }

    @Override
    public Optional<SignatureScheme> scheme() {
      return Optional.empty();
    }
  }
}
