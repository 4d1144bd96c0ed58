package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

/** Small writing and reading steps the wire records share; optional members are left out. */
final class WireJson {
  private WireJson() {}

  static void optionalString(JsonWriter w, String key, Optional<String> value) {
    if (value.isPresent()) {
      w.raw(',').key(key).string(value.get());
    }
  }

  static void optionalU64(JsonWriter w, String key, OptionalLong value) {
    if (value.isPresent()) {
      w.raw(',').key(key).unsigned(value.getAsLong());
    }
  }

  static void optionalDouble(JsonWriter w, String key, OptionalDouble value) {
    if (value.isPresent()) {
      w.raw(',').key(key).raw(CanonicalJson.formatNumber(value.getAsDouble()));
    }
  }

  static void bool(JsonWriter w, String key, boolean value) {
    w.raw(',').key(key).raw(value ? "true" : "false");
  }

  /** Writes {@code ,"key":<u64 or null>}. */
  static void u64OrNull(JsonWriter w, String key, OptionalLong value) {
    w.raw(',').key(key);
    if (value.isPresent()) {
      w.unsigned(value.getAsLong());
    } else {
      w.raw("null");
    }
  }

  /** Writes {@code ,"key":<string or null>}. */
  static void stringOrNull(JsonWriter w, String key, Optional<String> value) {
    w.raw(',').key(key);
    if (value.isPresent()) {
      w.string(value.get());
    } else {
      w.raw("null");
    }
  }

  static void strings(JsonWriter w, List<String> values) {
    w.raw('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.string(values.get(i));
    }
    w.raw(']');
  }

  /** Writes {@code [a,b,...]} from each element's own JSON bytes. */
  static <T extends WireResponse> byte[] array(List<T> items) {
    JsonWriter w = new JsonWriter(64 + items.size() * 128);
    w.raw('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      byte[] b = items.get(i).toJson();
      w.raw(b, 0, b.length);
    }
    return w.raw(']').toByteArray();
  }

  /** Writes one element's JSON bytes, or {@code null}. */
  static void optionalObject(JsonWriter w, Optional<? extends WireResponse> value) {
    if (value.isPresent()) {
      byte[] b = value.get().toJson();
      w.raw(b, 0, b.length);
    } else {
      w.raw("null");
    }
  }

  /** Reads a JSON array whose elements are objects, each with {@code read}. */
  static <T> List<T> objects(JsonValue v, String what, Function<JsonObject, T> read) {
    if (!(v instanceof JsonArray a)) {
      throw Fields.wrongType(what, "an array", v);
    }
    List<T> out = new ArrayList<>(a.elements().size());
    for (int i = 0; i < a.elements().size(); i++) {
      out.add(read.apply(Fields.object(a.elements().get(i), what + "[" + i + "]")));
    }
    return List.copyOf(out);
  }
}
