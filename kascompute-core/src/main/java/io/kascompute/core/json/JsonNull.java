package io.kascompute.core.json;

/** The JSON {@code null}. */
public enum JsonNull implements JsonValue {
  /** The only instance. */
  INSTANCE;

  @Override
  public String typeName() {
    return "null";
  }

  /** The JSON literal. */
  @Override
  public String toString() {
    return "null";
  }
}
