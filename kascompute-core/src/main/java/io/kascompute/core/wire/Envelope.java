package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import java.util.Objects;
import java.util.Optional;

/**
 * The V1 response envelope {@code {"status","data","error","ts"}}: {@code status} is {@code "ok"}
 * with the body in {@code data} and {@code error:null}, or {@code "error"} with {@code data:null}
 * and {@code error:{"code","message"}}; {@code ts} is the coordinator's clock in Unix seconds.
 *
 * @param data the body of an ok envelope; JSON {@code null} in an error envelope
 * @param error the error of an error envelope; empty when ok
 */
public record Envelope(JsonValue data, Optional<ApiError> error, long ts) {

  /** Checks that nothing is null. */
  public Envelope {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(error, "error");
  }

  /** Whether the envelope's status is {@code "ok"}. */
  public boolean ok() {
    return error.isEmpty();
  }

  /** The bytes of a success envelope around {@code data}. */
  public static byte[] ok(WireResponse data, long ts) {
    byte[] body = Objects.requireNonNull(data, "data").toJson();
    JsonWriter w = new JsonWriter(body.length + 64);
    w.raw("{\"status\":\"ok\",\"data\":");
    w.raw(body, 0, body.length);
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

  /**
   * Reads an envelope as a client receives it.
   *
   * @throws KasComputeException a JSON reading code, or {@code missing_field}/{@code wrong_type}
   *     if the body is not an envelope
   */
  public static Envelope parse(byte[] body) {
    JsonObject o = Fields.object(StrictJsonReader.withDefaults().read(body), "envelope");
    String status = Fields.string(o, "status");
    long ts = Fields.u64(o, "ts");
    if (status.equals("ok")) {
      JsonValue data = o.members().get("data");
      if (data == null) {
        throw Fields.missing("data");
      }
      return new Envelope(data, Optional.empty(), ts);
    }
    if (!status.equals("error")) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, "status must be \"ok\" or \"error\", not \"" + status + "\"");
    }
    JsonValue e = Fields.get(o, "error").orElseThrow(() -> Fields.missing("error"));
    JsonObject err = Fields.object(e, "field error");
    return new Envelope(JsonNull.INSTANCE,
        Optional.of(new ApiError(Fields.string(err, "code"),
            Fields.optionalString(err, "message").orElse(""))), ts);
  }

  /**
   * The data of an ok envelope.
   *
   * @throws KasComputeException with the error's code (or {@code internal} for a code the SDK
   *     does not know) if this is an error envelope
   */
  public JsonValue dataOrThrow() {
    if (error.isPresent()) {
      ApiError e = error.get();
      throw new KasComputeException(e.knownCode().orElse(ErrorCode.INTERNAL),
          e.code() + ": " + e.message());
    }
    return data;
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
