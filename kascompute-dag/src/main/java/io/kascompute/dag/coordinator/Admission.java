package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonValue;
import java.util.List;
import java.util.Optional;

/** Applies {@link CoordinatorLimits} to what a request carries, before anything else happens. */
final class Admission {
  private final CoordinatorLimits limits;

  Admission(CoordinatorLimits limits) {
    this.limits = limits;
  }

  CoordinatorLimits limits() {
    return limits;
  }

  /** Checks a node or miner id. */
  String id(String field, String value) {
    if (value.length() > limits.maxIdLength()) {
      throw new KasComputeException(ErrorCode.INVALID_ID, field + " is " + value.length()
          + " characters long; the limit is " + limits.maxIdLength());
    }
    if (!limits.allowControlCharactersInIds()) {
      if (value.isEmpty()) {
        throw new KasComputeException(ErrorCode.INVALID_ID, field + " is empty");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw new KasComputeException(ErrorCode.INVALID_ID, field + " holds control character U+"
              + String.format("%04X", (int) c) + " at " + i
              + "; this coordinator's admission policy refuses them");
        }
      }
    }
    return value;
  }

  /** Checks a short text field such as {@code client_version}. */
  void text(String field, Optional<String> value) {
    if (value.isPresent() && value.get().length() > limits.maxClientVersionLength()) {
      throw tooLarge(field, value.get().length() + " characters", limits.maxClientVersionLength()
          + " characters");
    }
  }

  void roles(List<String> roles) {
    if (roles.size() > limits.maxRoles()) {
      throw tooLarge("roles", roles.size() + " entries", limits.maxRoles() + " entries");
    }
    for (String r : roles) {
      if (r.length() > limits.maxRoleLength()) {
        throw tooLarge("a role", r.length() + " characters", limits.maxRoleLength() + " characters");
      }
    }
  }

  void computeProfile(Optional<JsonValue> profile) {
    if (profile.isPresent()) {
      int size = CanonicalJson.write(profile.get()).length;
      if (size > limits.maxComputeProfileBytes()) {
        throw tooLarge("compute_profile", size + " bytes", limits.maxComputeProfileBytes() + " bytes");
      }
    }
  }

  private static KasComputeException tooLarge(String field, String got, String max) {
    return new KasComputeException(
        ErrorCode.VALUE_TOO_LARGE, field + " is " + got + "; the limit is " + max);
  }
}
