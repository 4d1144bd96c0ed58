package io.kascompute.core.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** UTF-8 encoding that refuses lone surrogates instead of writing {@code ?} for them. */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * The UTF-8 bytes of {@code s}.
   *
   * @throws KasComputeException {@link ErrorCode#INVALID_UTF8} if {@code s} holds a lone surrogate
   */
  public static byte[] encode(String s) {
    if (isAscii(s)) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
    } catch (CharacterCodingException e) {
      throw new KasComputeException(ErrorCode.INVALID_UTF8, "text holds a lone surrogate");
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
