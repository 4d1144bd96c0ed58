package io.kascompute.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.internal.EcmaNumberFormatter;
import io.kascompute.core.internal.JsonWriter;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Canonicalizes straight from the parser's tokens into a {@link JsonWriter}, without building a
 * tree: each object's members are written in arrival order and, when the object closes, its
 * member byte ranges are reordered by name if they were not already sorted. Applies the same
 * checks, in the same order, as {@link StrictJsonReader}.
 */
final class CanonicalStreamWriter {
  private final StrictJsonReader reader;
  private final JsonWriter w;
  private byte[] scratch = new byte[256];

  CanonicalStreamWriter(StrictJsonReader reader, int capacity) {
    this.reader = reader;
    this.w = new JsonWriter(capacity);
  }

  byte[] canonicalize(byte[] json) {
    return reader.parseBytes(json, 0, json.length, (p, first) -> {
      value(p, first, 0);
      return w.toByteArray();
    });
  }

  private void value(JsonParser p, JsonToken token, int depth) throws IOException {
    switch (token) {
      case START_OBJECT -> object(p, depth + 1);
      case START_ARRAY -> array(p, depth + 1);
      case VALUE_STRING -> w.string(StrictJsonReader.checkedText(p, p.getText()));
      case VALUE_NUMBER_INT -> integer(p);
      case VALUE_NUMBER_FLOAT -> {
        if (p.isNaN()) {
          throw StrictJsonReader.error(ErrorCode.INVALID_NUMBER, "JSON has no " + p.getText(), p);
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
          throw StrictJsonReader.error(
              ErrorCode.INVALID_NUMBER, "number " + p.getText() + " overflows a double", p);
        }
        if (Math.abs(d) < Double.MIN_NORMAL || !shortLiteral(p)) {
          w.raw(EcmaNumberFormatter.format(d));
        }
      }
      case VALUE_TRUE -> w.raw("true");
      case VALUE_FALSE -> w.raw("false");
      case VALUE_NULL -> w.raw("null");
      default -> throw StrictJsonReader.error(ErrorCode.MALFORMED_JSON, "unexpected token " + token, p);
    }
  }

  private void integer(JsonParser p) throws IOException {
    int len = p.getTextLength();
    char[] chars = p.getTextCharacters();
    int off = p.getTextOffset();
    boolean negative = chars[off] == '-';
    // Up to 15 digits the integer is exact as a double and ECMAScript prints it unchanged.
    if (len - (negative ? 1 : 0) <= 15 && !(negative && len == 2 && chars[off + 1] == '0')) {
      for (int i = 0; i < len; i++) {
        w.raw(chars[off + i]);
      }
      return;
    }
    double d = p.getValueAsDouble();
    if (!Double.isFinite(d)) {
      throw StrictJsonReader.error(
          ErrorCode.INVALID_NUMBER, "number " + p.getText() + " has no finite double value", p);
    }
    w.raw(EcmaNumberFormatter.format(d));
  }

  /**
   * Writes a fraction/exponent literal with at most 15 significant digits from its own digits
   * (its double is normal, checked by the caller); returns false, writing nothing, otherwise.
   */
  private boolean shortLiteral(JsonParser p) throws IOException {
    char[] c = p.getTextCharacters();
    int i = p.getTextOffset();
    int end = i + p.getTextLength();
    boolean negative = c[i] == '-';
    if (negative) {
      i++;
    }
    long s = 0;
    int digits = 0;
    int scale = 0;
    boolean fraction = false;
    for (; i < end; i++) {
      char ch = c[i];
      if (ch == '.') {
        fraction = true;
      } else if (ch == 'e' || ch == 'E') {
        break;
      } else {
        if (s != 0 || ch != '0') {
          if (++digits > 15) {
            return false;
          }
          s = s * 10 + (ch - '0');
        }
        if (fraction) {
          scale++;
        }
      }
    }
    long exp = 0;
    if (i < end) {
      i++;
      boolean expNegative = c[i] == '-';
      if (c[i] == '-' || c[i] == '+') {
        i++;
      }
      for (; i < end; i++) {
        exp = exp * 10 + (c[i] - '0');
        if (exp > 100_000) {
          return false;
        }
      }
      if (expNegative) {
        exp = -exp;
      }
    }
    w.raw(EcmaNumberFormatter.formatShortDecimal(negative, s, (int) (exp - scale)));
    return true;
  }

  private void array(JsonParser p, int depth) throws IOException {
    reader.checkDepth(p, depth);
    w.raw('[');
    JsonToken t;
    boolean first = true;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw StrictJsonReader.error(ErrorCode.MALFORMED_JSON, "unterminated array", p);
      }
      if (!first) {
        w.raw(',');
      }
      first = false;
      value(p, t, depth);
    }
    w.raw(']');
  }

  private void object(JsonParser p, int depth) throws IOException {
    reader.checkDepth(p, depth);
    w.raw('{');
    int start = w.size();
    String[] keys = new String[8];
    int[] bounds = new int[16];
    int n = 0;
    boolean sorted = true;
    Set<String> seen = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = StrictJsonReader.checkedText(p, p.currentName());
      if (n > 0) {
        w.raw(',');
      }
      int from = w.size();
      w.key(key);
      value(p, p.nextToken(), depth);
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
        bounds = Arrays.copyOf(bounds, n * 4);
      }
      if (n < 16) {
        for (int i = 0; i < n; i++) {
          if (keys[i].equals(key)) {
            throw duplicate(p, key);
          }
        }
      } else {
        if (seen == null) {
          seen = new HashSet<>(Arrays.asList(keys).subList(0, n));
        }
        if (!seen.add(key)) {
          throw duplicate(p, key);
        }
      }
      if (n > 0 && keys[n - 1].compareTo(key) > 0) {
        sorted = false;
      }
      keys[n] = key;
      bounds[2 * n] = from;
      bounds[2 * n + 1] = w.size();
      n++;
    }
    if (t != JsonToken.END_OBJECT) {
      throw StrictJsonReader.error(ErrorCode.MALFORMED_JSON, "unterminated object", p);
    }
    if (!sorted) {
      reorder(start, keys, bounds, n);
    }
    w.raw('}');
  }

  private static io.kascompute.core.KasComputeException duplicate(JsonParser p, String key) {
    return StrictJsonReader.error(
        ErrorCode.DUPLICATE_KEY, "duplicate key \"" + StrictJsonReader.printable(key) + "\"", p);
  }

  /** Rewrites the members after {@code start} in UTF-16 order of their names. */
  private void reorder(int start, String[] keys, int[] bounds, int n) {
    int end = w.size();
    int len = end - start;
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length * 2)];
    }
    byte[] copy = scratch;
    System.arraycopy(w.buffer(), start, copy, 0, len);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    String[] k = keys;
    Arrays.sort(order, (a, b) -> k[a].compareTo(k[b]));
    w.truncate(start);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        w.raw(',');
      }
      int m = order[i];
      w.raw(copy, bounds[2 * m] - start, bounds[2 * m + 1] - bounds[2 * m]);
    }
  }
}
