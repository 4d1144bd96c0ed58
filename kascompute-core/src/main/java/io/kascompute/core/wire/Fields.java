package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.DagId;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonBoolean;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Typed field access on a request object with the protocol's error codes: {@code missing_field},
 * {@code wrong_type}, {@code field_out_of_range}. A field whose value is JSON {@code null} counts
 * as absent. Unknown fields are never looked at.
 */
public final class Fields {
  private Fields() {}

  /** The body as an object, or {@code wrong_type}. */
  public static JsonObject object(JsonValue body, String what) {
    if (body instanceof JsonObject o) {
      return o;
    }
    throw new KasComputeException(
        ErrorCode.WRONG_TYPE, what + " must be a JSON object, got " + body.typeName());
  }

  /** The value of {@code key} unless absent or null. */
  public static Optional<JsonValue> get(JsonObject o, String key) {
    JsonValue v = o.members().get(key);
    return v == null || v == JsonNull.INSTANCE ? Optional.empty() : Optional.of(v);
  }

  /**
   * The value sent under {@code name} or under its {@code alias}, unless absent or null.
   *
   * @throws KasComputeException {@link ErrorCode#DUPLICATE_FIELD} if both carry a value
   */
  public static Optional<JsonValue> get(JsonObject o, String name, String alias) {
    Optional<JsonValue> v = get(o, name);
    Optional<JsonValue> a = get(o, alias);
    if (v.isPresent() && a.isPresent()) {
      throw new KasComputeException(
          ErrorCode.DUPLICATE_FIELD,
          "fields " + name + " and " + alias + " are the same field; send only one of them");
    }
    return v.isPresent() ? v : a;
  }

  /** A required string. */
  public static String string(JsonObject o, String key) {
    return optionalString(o, key).orElseThrow(() -> missing(key));
  }

  /** An optional string. */
  public static Optional<String> optionalString(JsonObject o, String key) {
    return get(o, key).map(v -> asString(key, v));
  }

  /**
   * An optional string sent as {@code key} or as its {@code alias}; errors name {@code key}.
   *
   * @throws KasComputeException {@link ErrorCode#DUPLICATE_FIELD} if both are sent
   */
  public static Optional<String> optionalString(JsonObject o, String key, String alias) {
    return get(o, key, alias).map(v -> asString(key, v));
  }

  /**
   * An optional unsigned 64-bit integer sent as {@code key} or as its {@code alias}; errors name
   * {@code key}.
   *
   * @throws KasComputeException {@link ErrorCode#DUPLICATE_FIELD} if both are sent
   */
  public static OptionalLong optionalU64(JsonObject o, String key, String alias) {
    Optional<JsonValue> v = get(o, key, alias);
    return v.isPresent() ? OptionalLong.of(asU64(key, v.get())) : OptionalLong.empty();
  }

  /** A required unsigned 64-bit integer, held in a {@code long}. */
  public static long u64(JsonObject o, String key) {
    return optionalU64(o, key).orElseThrow(() -> missing(key));
  }

  /** An optional unsigned 64-bit integer, held in a {@code long}. */
  public static OptionalLong optionalU64(JsonObject o, String key) {
    Optional<JsonValue> v = get(o, key);
    return v.isPresent() ? OptionalLong.of(asU64(key, v.get())) : OptionalLong.empty();
  }

  /** An optional finite number as a double. */
  public static OptionalDouble optionalDouble(JsonObject o, String key) {
    Optional<JsonValue> v = get(o, key);
    if (v.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (v.get() instanceof JsonNumber n) {
      return OptionalDouble.of(n.doubleValue());
    }
    throw wrongType(key, "a number", v.get());
  }

  /** An optional boolean. */
  public static Optional<Boolean> optionalBoolean(JsonObject o, String key) {
    return get(o, key).map(v -> {
      if (v instanceof JsonBoolean b) {
        return b.value();
      }
      throw wrongType(key, "a boolean", v);
    });
  }

  /** An optional array of strings. */
  public static Optional<List<String>> optionalStrings(JsonObject o, String key) {
    return get(o, key).map(v -> {
      if (!(v instanceof JsonArray a)) {
        throw wrongType(key, "an array of strings", v);
      }
      List<String> out = new ArrayList<>(a.elements().size());
      for (JsonValue e : a.elements()) {
        out.add(asString(key + "[]", e));
      }
      return List.copyOf(out);
    });
  }

  /** The value as a string, or {@code wrong_type}. */
  public static String asString(String key, JsonValue v) {
    if (v instanceof JsonString s) {
      return s.value();
    }
    throw wrongType(key, "a string", v);
  }

  /** The value as an unsigned 64-bit integer, or {@code wrong_type} / {@code field_out_of_range}. */
  public static long asU64(String key, JsonValue v) {
    if (v instanceof JsonNumber n) {
      return n.unsignedLongValue(key);
    }
    throw wrongType(key, "an unsigned integer", v);
  }

  /** A required boolean. */
  public static boolean bool(JsonObject o, String key) {
    return optionalBoolean(o, key).orElseThrow(() -> missing(key));
  }

  /** A required finite number as a double. */
  public static double number(JsonObject o, String key) {
    OptionalDouble d = optionalDouble(o, key);
    if (d.isEmpty()) {
      throw missing(key);
    }
    return d.getAsDouble();
  }

  /** A required array of strings. */
  public static List<String> strings(JsonObject o, String key) {
    return optionalStrings(o, key).orElseThrow(() -> missing(key));
  }

  /** A required array. */
  public static JsonArray array(JsonObject o, String key) {
    JsonValue v = get(o, key).orElseThrow(() -> missing(key));
    if (v instanceof JsonArray a) {
      return a;
    }
    throw wrongType(key, "an array", v);
  }

  /** A required member whose value is an object. */
  public static JsonObject objectField(JsonObject o, String key) {
    return object(get(o, key).orElseThrow(() -> missing(key)), "field " + key);
  }

  /** A required node id. */
  public static NodeId nodeId(JsonObject o, String key) {
    return NodeId.of(string(o, key));
  }

  /** A required run id. */
  public static RunId runId(JsonObject o, String key) {
    return RunId.of(string(o, key));
  }

  /** A required task id. */
  public static TaskId taskId(JsonObject o, String key) {
    return TaskId.of(string(o, key));
  }

  /** A required DAG id. */
  public static DagId dagId(JsonObject o, String key) {
    return DagId.of(string(o, key));
  }

  /**
   * A required SHA-256 digest as 64 hex characters.
   *
   * @throws KasComputeException also {@code malformed_hex} or {@code wrong_length}
   */
  public static Sha256Digest sha256(JsonObject o, String key) {
    return Sha256Digest.fromHex(string(o, key));
  }

  /** An optional SHA-256 digest as 64 hex characters. */
  public static Optional<Sha256Digest> optionalSha256(JsonObject o, String key) {
    return optionalString(o, key).map(Sha256Digest::fromHex);
  }

  /** A required count: an unsigned integer that fits an {@code int}, else {@code field_out_of_range}. */
  public static int count(JsonObject o, String key) {
    long v = u64(o, key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, "field " + key + " is larger than " + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  /** The error for a missing required field. */
  public static KasComputeException missing(String key) {
    return new KasComputeException(ErrorCode.MISSING_FIELD, "field " + key + " is required");
  }

  /** The error for a field of the wrong JSON type. */
  public static KasComputeException wrongType(String key, String expected, JsonValue got) {
    return new KasComputeException(
        ErrorCode.WRONG_TYPE, "field " + key + " must be " + expected + ", got " + got.typeName());
  }
}
