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
final class CanonicalStreamWriter implements StrictJsonReader.RootHandler<byte[]> {
  /** Objects with at most this many members are sorted by insertion, larger ones by merge sort. */
  private static final int INSERTION_SORT_MAX = 32;

  private final StrictJsonReader reader;
  private JsonWriter w;
  private byte[] input;
  // The input position just after the last token seen, and where that token began and whether,
  // being a string, it holds neither escapes nor control characters. The parser has already
  // checked the syntax up to that token, so separators and tokens are found by plain scanning.
  private int pos;
  private int tokenStart;
  private boolean tokenPlain;
  // Member names and byte ranges of every object still open, innermost last; each object's
  // members start where its enclosing object's pending members end.
  private String[] keys = new String[32];
  private int[] hashes = new int[32];
  private int[] bounds = new int[64];
  private int top;
  private int[] order = new int[8];
  private final byte[] numberText = new byte[32];

  CanonicalStreamWriter(StrictJsonReader reader) {
    this.reader = reader;
  }

  byte[] canonicalize(byte[] json) {
    input = json;
    // Room for the output twice over, as reordering an object appends its members again before
    // moving them into place; capped by the size limit, since a larger input is refused.
    long capacity = 2L * Math.min(json.length, reader.limits().maxBytes()) + 64;
    w = new JsonWriter((int) Math.min(capacity, Integer.MAX_VALUE - 16));
    return reader.parseBytes(json, 0, json.length, this);
  }

  @Override
  public byte[] root(JsonParser p, JsonToken first) throws IOException {
    value(p, track(first), 0);
    return w.toByteArray();
  }

  /** Moves {@link #pos} past the token the parser has just returned; returns that token. */
  private JsonToken track(JsonToken t) {
    byte[] in = input;
    int i = pos;
    while (i < in.length) {
      byte b = in[i];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',' || b == ':') {
        i++;
      } else {
        break;
      }
    }
    tokenStart = i;
    if (t == null || i >= in.length) {
      pos = i;
      tokenPlain = false;
      return t;
    }
    switch (t) {
      case FIELD_NAME, VALUE_STRING -> {
        boolean plain = in[i] == '"';
        boolean closed = false;
        i++;
        while (i < in.length) {
          byte b = in[i];
          if (b == '"') {
            i++;
            closed = true;
            break;
          }
          if (b == '\\') {
            plain = false;
            i += 2;
          } else {
            if (b >= 0 && b < 0x20) {
              plain = false;
            }
            i++;
          }
        }
        // An unterminated string is left to the parser, which reports it.
        tokenPlain = plain && closed;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        while (i < in.length) {
          byte b = in[i];
          if ((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E') {
            i++;
          } else {
            break;
          }
        }
      }
      case VALUE_TRUE, VALUE_NULL -> i += 4;
      case VALUE_FALSE -> i += 5;
      default -> i++;
    }
    pos = i;
    return t;
  }

  private void value(JsonParser p, JsonToken token, int depth) throws IOException {
    switch (token) {
      case START_OBJECT -> object(p, depth + 1);
      case START_ARRAY -> array(p, depth + 1);
      case VALUE_STRING -> {
        if (!copyPlainString()) {
          w.string(StrictJsonReader.checkedText(p, p.getText()));
        }
      }
      case VALUE_NUMBER_INT -> integer(p);
      case VALUE_NUMBER_FLOAT -> {
        if (p.isNaN()) {
          throw StrictJsonReader.error(ErrorCode.INVALID_NUMBER, "JSON has no " + p.getText(), p);
        }
        if (!shortLiteral(p)) {
          double d = p.getDoubleValue();
          if (!Double.isFinite(d)) {
            throw StrictJsonReader.error(
                ErrorCode.INVALID_NUMBER, "number " + p.getText() + " overflows a double", p);
          }
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
   * Writes a fraction/exponent literal with at most 15 significant digits from its own digits when
   * it is zero or lies well inside the normal double range (10^-307 to 10^308), without computing
   * its double; returns false, writing nothing, otherwise.
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
    long e10 = exp - scale; // the value is s x 10^e10, s having `digits` digits
    if (s != 0 && (digits - 1 + e10 < -307 || digits + e10 > 308)) {
      return false;
    }
    w.raw(numberText, 0,
        EcmaNumberFormatter.formatShortDecimal(numberText, negative, s, (int) e10));
    return true;
  }

  private void array(JsonParser p, int depth) throws IOException {
    reader.checkDepth(p, depth);
    w.raw('[');
    JsonToken t;
    boolean first = true;
    while ((t = track(p.nextToken())) != JsonToken.END_ARRAY) {
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
    int base = top;
    boolean sorted = true;
    Set<String> seen = null;
    JsonToken t;
    while ((t = track(p.nextToken())) == JsonToken.FIELD_NAME) {
      // A plain name is valid UTF-8 copied as is, so it cannot hold a lone surrogate.
      String key = p.currentName();
      if (!tokenPlain) {
        StrictJsonReader.checkedText(p, key);
      }
      int hash = key.hashCode();
      int n = top - base;
      if (n > 0) {
        w.raw(',');
      }
      int from = w.size();
      if (!copyPlainString()) {
        w.string(key);
      }
      w.raw(':');
      // The nested value pushes and pops its own members above ours.
      value(p, track(p.nextToken()), depth);
      if (top == keys.length) {
        keys = Arrays.copyOf(keys, top * 2);
        hashes = Arrays.copyOf(hashes, top * 2);
        bounds = Arrays.copyOf(bounds, top * 4);
      }
      if (n < 16) {
        for (int i = base; i < top; i++) {
          if (hashes[i] == hash && keys[i].equals(key)) {
            throw duplicate(p, key);
          }
        }
      } else {
        if (seen == null) {
          seen = new HashSet<>(Arrays.asList(keys).subList(base, top));
        }
        if (!seen.add(key)) {
          throw duplicate(p, key);
        }
      }
      if (n > 0 && keys[top - 1].compareTo(key) > 0) {
        sorted = false;
      }
      keys[top] = key;
      hashes[top] = hash;
      bounds[2 * top] = from;
      bounds[2 * top + 1] = w.size();
      top++;
    }
    if (t != JsonToken.END_OBJECT) {
      throw StrictJsonReader.error(ErrorCode.MALFORMED_JSON, "unterminated object", p);
    }
    if (!sorted) {
      reorder(start, base, top - base);
    }
    top = base;
    w.raw('}');
  }

  /**
   * Copies the current string token (a value or a member name) straight from the input when it
   * has no escapes and no control characters, the input being already checked UTF-8; returns
   * false, writing nothing, otherwise.
   */
  private boolean copyPlainString() {
    if (!tokenPlain) {
      return false;
    }
    w.raw(input, tokenStart, pos - tokenStart);
    return true;
  }

  private static io.kascompute.core.KasComputeException duplicate(JsonParser p, String key) {
    return StrictJsonReader.error(
        ErrorCode.DUPLICATE_KEY, "duplicate key \"" + StrictJsonReader.printable(key) + "\"", p);
  }

  /** Rewrites the members after {@code start} in UTF-16 order of their names. */
  private void reorder(int start, int base, int n) {
    int end = w.size();
    String[] k = keys;
    int[] sortedIdx;
    if (n <= INSERTION_SORT_MAX) {
      if (order.length < n) {
        order = new int[INSERTION_SORT_MAX];
      }
      sortedIdx = order;
      for (int i = 0; i < n; i++) {
        int m = base + i;
        String key = k[m];
        int j = i - 1;
        while (j >= 0 && k[sortedIdx[j]].compareTo(key) > 0) {
          sortedIdx[j + 1] = sortedIdx[j];
          j--;
        }
        sortedIdx[j + 1] = m;
      }
    } else {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = base + i;
      }
      Arrays.sort(boxed, (a, b) -> k[a].compareTo(k[b]));
      sortedIdx = new int[n];
      for (int i = 0; i < n; i++) {
        sortedIdx[i] = boxed[i];
      }
    }
    // Append the members in order after the object's current bytes, then move them into place.
    int[] bd = bounds;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        w.raw(',');
      }
      int m = sortedIdx[i];
      w.raw(w.buffer(), bd[2 * m], bd[2 * m + 1] - bd[2 * m]);
    }
    System.arraycopy(w.buffer(), end, w.buffer(), start, end - start);
    w.truncate(end);
  }
}
