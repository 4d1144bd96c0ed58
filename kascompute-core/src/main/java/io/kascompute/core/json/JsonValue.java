package io.kascompute.core.json;

/**
 * An immutable JSON value as read by {@link StrictJsonReader}: object, array, string, number,
 * boolean or null.
 *
 * <p>Numbers keep their source text so that unsigned 64-bit integers survive exactly; the RFC 8785
 * writer uses their IEEE-754 double value.
 */
public sealed interface JsonValue
    permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

  /** The JSON type name of this value, as used in error messages ({@code "object"}, ...). */
  String typeName();
}
