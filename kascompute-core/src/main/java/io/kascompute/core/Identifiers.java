package io.kascompute.core;

/** Shared validation of textual protocol identifiers. */
final class Identifiers {
  private Identifiers() {}

  /**
   * Checks that {@code value} is non-empty, at most {@code maxLength} UTF-16 units long and free
   * of control characters; returns it unchanged.
   */
  static String check(String kind, String value, int maxLength) {
    if (value == null) {
      throw new KasComputeException(ErrorCode.INVALID_ID, kind + " is missing");
    }
    if (value.isEmpty()) {
      throw new KasComputeException(ErrorCode.INVALID_ID, kind + " is empty");
    }
    if (value.length() > maxLength) {
      throw new KasComputeException(
          ErrorCode.INVALID_ID,
          kind + " is " + value.length() + " characters long; the limit is " + maxLength);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new KasComputeException(
            ErrorCode.INVALID_ID,
            kind + " holds control character U+" + String.format("%04X", (int) c) + " at " + i);
      }
    }
    return value;
  }
}
