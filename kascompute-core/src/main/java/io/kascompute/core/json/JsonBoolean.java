package io.kascompute.core.json;

/** A JSON {@code true} or {@code false}. */
public enum JsonBoolean implements JsonValue {
  /** {@code true}. */
  TRUE,
  /** {@code false}. */
  FALSE;

  /** The constant for {@code value}. */
  public static JsonBoolean of(boolean value) {
    return value ? TRUE : FALSE;
  }

  /** The boolean this constant stands for. */
  public boolean value() {
    return this == TRUE;
  }

  @Override
  public String typeName() {
    return "boolean";
  }

  /** The JSON literal. */
  @Override
  public String toString() {
    return value() ? "true" : "false";
  }
}
