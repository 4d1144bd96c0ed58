package io.kascompute.core.json;

import io.kascompute.core.internal.EcmaNumberFormatter;
import io.kascompute.core.internal.JsonWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JSON Canonicalization Scheme): compact UTF-8 JSON with object members sorted by the
 * UTF-16 code units of their names, numbers in ECMAScript form and minimal string escaping.
 *
 * <p>Numbers are written from their IEEE-754 double value, as RFC 8785 requires: an integer
 * literal beyond 2^53 loses precision, so protocol fields that need exact unsigned 64-bit values are
 * never canonicalized with this class (the V1 payload has its own fixed layout).
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * The ECMAScript Number::toString form of a finite double, as RFC 8785 writes numbers: shortest
   * round-tripping digits, {@code -0} as {@code 0}, exponent form below 1e-6 and from 1e21.
   *
   * @throws IllegalArgumentException if {@code d} is NaN or infinite
   */
  public static String formatNumber(double d) {
    return EcmaNumberFormatter.format(d);
  }

  /** The RFC 8785 canonical UTF-8 bytes of a JSON value. */
  public static byte[] write(JsonValue value) {
    JsonWriter w = new JsonWriter(256);
    write(w, value);
    return w.toByteArray();
  }

  /** Reads untrusted JSON with the default {@link JsonLimits} and returns its canonical bytes. */
  public static byte[] canonicalize(byte[] json) {
    byte[] canonical = CanonicalScanner.canonicalize(json, JsonLimits.DEFAULT);
    // The scanner declines every refused document: the reader then reports why.
    return canonical != null ? canonical : write(StrictJsonReader.withDefaults().read(json));
  }

  /** Reads untrusted JSON with the given limits and returns its canonical bytes. */
  public static byte[] canonicalize(byte[] json, JsonLimits limits) {
    byte[] canonical = CanonicalScanner.canonicalize(json, limits);
    return canonical != null ? canonical : write(StrictJsonReader.withLimits(limits).read(json));
  }

  private static void write(JsonWriter w, JsonValue value) {
    if (value instanceof JsonObject o) {
      writeObject(w, o.members());
    } else if (value instanceof JsonArray a) {
      List<JsonValue> elements = a.elements();
      w.raw('[');
      for (int i = 0; i < elements.size(); i++) {
        if (i > 0) {
          w.raw(',');
        }
        write(w, elements.get(i));
      }
      w.raw(']');
    } else if (value instanceof JsonString s) {
      w.string(s.value());
    } else if (value instanceof JsonNumber n) {
      w.raw(EcmaNumberFormatter.format(n.doubleValue()));
    } else if (value instanceof JsonBoolean b) {
      w.raw(b.value() ? "true" : "false");
    } else {
      w.raw("null");
    }
  }

  private static void writeObject(JsonWriter w, Map<String, JsonValue> members) {
    String[] keys = members.keySet().toArray(new String[0]);
    Arrays.sort(keys); // String order is UTF-16 code unit order, which RFC 8785 prescribes
    w.raw('{');
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.key(keys[i]);
      write(w, members.get(keys[i]));
    }
    w.raw('}');
  }
}
