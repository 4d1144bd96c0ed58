package io.kascompute.core.json;

import java.util.List;

/** A JSON array. */
public record JsonArray(List<JsonValue> elements) implements JsonValue {
  /** Copies the elements. */
  public JsonArray {
    elements = List.copyOf(elements);
  }

  @Override
  public String typeName() {
    return "array";
  }

  /** The value as compact JSON text (members in their order). */
  @Override
  public String toString() {
    return JsonText.of(this);
  }
}
