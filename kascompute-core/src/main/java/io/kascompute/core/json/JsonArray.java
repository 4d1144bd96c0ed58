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
}
