package io.kascompute.core.json;

import java.util.Objects;

/** A JSON string. */
public record JsonString(String value) implements JsonValue {
  /** Wraps a string value. */
  public JsonString {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String typeName() {
    return "string";
  }

  /** The value as compact JSON text (members in their order). */
  @Override
  public String toString() {
    return JsonText.of(this);
  }
}
