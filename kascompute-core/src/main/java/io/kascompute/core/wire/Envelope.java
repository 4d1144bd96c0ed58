package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;

/**
 * The V1 response envelope {@code {"status","data","error","ts"}}: {@code status} is {@code "ok"}
 * with the body in {@code data} and {@code error:null}, or {@code "error"} with {@code data:null}
 * and {@code error:{"code","message"}}; {@code ts} is the coordinator's clock in Unix seconds.
 */
public final class Envelope {
  private Envelope() {}

  /** The bytes of a success envelope around {@code data}. */
  public static byte[] ok(WireResponse data, long ts) {
    Objects.requireNonNull(data, "data");
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"status\":\"ok\",\"data\":");
    data.writeTo(w);
    w.raw(",\"error\":null,\"ts\":").unsigned(ts).raw('}');
    return w.toByteArray();
  }

  /** The bytes of an error envelope with the code's wire name and a readable message. */
  public static byte[] error(ErrorCode code, String message, long ts) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    JsonWriter w = new JsonWriter(128 + message.length());
    w.raw("{\"status\":\"error\",\"data\":null,\"error\":{\"code\":").string(code.wireName());
    w.raw(",\"message\":").string(safe(message));
    w.raw("},\"ts\":").unsigned(ts).raw('}');
    return w.toByteArray();
  }

  /** Replaces lone surrogates (which have no UTF-8 form) so that any message can be written. */
  private static String safe(String message) {
    StringBuilder sb = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      boolean pairStart = Character.isHighSurrogate(c)
          && i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1));
      if (pairStart) {
        if (sb != null) {
          sb.append(c).append(message.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        if (sb == null) {
          sb = new StringBuilder(message.length()).append(message, 0, i);
        }
        sb.append('\uFFFD');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? message : sb.toString();
  }
}
