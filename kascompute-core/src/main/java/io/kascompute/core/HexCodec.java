package io.kascompute.core;

import java.util.HexFormat;

/** Strict fixed-length hex decoding with the protocol's error codes. */
public final class HexCodec {
  private static final HexFormat HEX = HexFormat.of();

  private HexCodec() {}

  /**
   * Decodes {@code hex} (either case) that must hold exactly {@code length} bytes.
   *
   * @throws KasComputeException {@link ErrorCode#MALFORMED_HEX} for a non-hex character or an odd
   *     count, {@link ErrorCode#WRONG_LENGTH} for another byte count
   */
  public static byte[] decode(String field, String hex, int length) {
    byte[] out = decode(field, hex);
    if (out.length != length) {
      throw new KasComputeException(
          ErrorCode.WRONG_LENGTH,
          field + " must be " + length + " bytes (" + 2 * length + " hex characters), got "
              + out.length + " bytes");
    }
    return out;
  }

  /** Decodes {@code hex} (either case) of any even length. */
  public static byte[] decode(String field, String hex) {
    if ((hex.length() & 1) != 0) {
      throw new KasComputeException(
          ErrorCode.MALFORMED_HEX, field + " has an odd number of hex characters");
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0 || hex.charAt(i) > 'f') {
        throw new KasComputeException(
            ErrorCode.MALFORMED_HEX, field + " has a non-hex character at " + i);
      }
    }
    return HEX.parseHex(hex);
  }

  /** Lowercase hex of the given bytes. */
  public static String encode(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
