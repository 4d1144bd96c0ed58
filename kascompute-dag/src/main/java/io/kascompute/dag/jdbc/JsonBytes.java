package io.kascompute.dag.jdbc;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonBoolean;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import java.util.Map;

/**
 * JSON values as stored bytes: written exactly as received (member order and number text kept)
 * and read back with the strict reader.
 */
final class JsonBytes {
  private static final StrictJsonReader READER =
      StrictJsonReader.withLimits(new JsonLimits(Integer.MAX_VALUE, JsonLimits.MAX_DEPTH));

  private JsonBytes() {}

  /** The value's UTF-8 JSON. */
  static byte[] of(JsonValue v) {
    JsonWriter w = new JsonWriter(64);
    write(w, v);
    return w.toByteArray();
  }

  /** The value of stored JSON bytes. */
  static JsonValue read(byte[] json) {
    return READER.read(json);
  }

  /** Writes {@code v} as received. */
  static void write(JsonWriter w, JsonValue v) {
    if (v instanceof JsonNull) {
      w.raw("null");
    } else if (v instanceof JsonBoolean b) {
      w.raw(b.value() ? "true" : "false");
    } else if (v instanceof JsonNumber n) {
      w.raw(n.text());
    } else if (v instanceof JsonString s) {
      w.string(s.value());
    } else if (v instanceof JsonArray a) {
      w.raw('[');
      boolean first = true;
      for (JsonValue e : a.elements()) {
        if (!first) {
          w.raw(',');
        }
        first = false;
        write(w, e);
      }
      w.raw(']');
    } else if (v instanceof JsonObject o) {
      w.raw('{');
      boolean first = true;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        if (!first) {
          w.raw(',');
        }
        first = false;
        w.key(e.getKey());
        write(w, e.getValue());
      }
      w.raw('}');
    }
  }
}
