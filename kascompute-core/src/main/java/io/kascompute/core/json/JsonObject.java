package io.kascompute.core.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A JSON object; its members keep the order in which they were read. */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {
  /** Copies the members, keeping their iteration order. */
  public JsonObject {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  /** The member named {@code key}, if present. */
  public Optional<JsonValue> get(String key) {
    return Optional.ofNullable(members.get(key));
  }

  @Override
  public String typeName() {
    return "object";
  }

  /** The value as compact JSON text (members in their order). */
  @Override
  public String toString() {
    return JsonText.of(this);
  }
}
