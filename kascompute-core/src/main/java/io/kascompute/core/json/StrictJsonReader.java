package io.kascompute.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.Utf8;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads untrusted JSON into a {@link JsonValue}, refusing everything RFC 8259 leaves ambiguous.
 *
 * <p>Refused, each with its own {@link ErrorCode} and a message that names the position: documents
 * over {@link JsonLimits#maxBytes()} ({@code body_too_large}), invalid UTF-8 and lone surrogates
 * ({@code invalid_utf8}), duplicate object keys ({@code duplicate_key}), {@code NaN}, {@code
 * Infinity} and numbers beyond the double range ({@code invalid_number}), nesting deeper than
 * {@link JsonLimits#maxDepth()} ({@code nesting_too_deep}), anything after the root value ({@code
 * trailing_data}) and every other syntax error, a UTF-8 byte order mark included ({@code
 * malformed_json}). No input makes {@link
 * #read} throw anything but {@link KasComputeException}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class StrictJsonReader {
  private static final StrictJsonReader DEFAULT = new StrictJsonReader(JsonLimits.DEFAULT);

  private final JsonLimits limits;
  private final JsonFactory factory;

  private StrictJsonReader(JsonLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.factory =
        JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Jackson's bundled FastDoubleParser: correctly rounded, like Double.parseDouble.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth() + 1)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(100_000)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();
  }

  /** A reader with the default limits (1 MiB, depth 64). */
  public static StrictJsonReader withDefaults() {
    return DEFAULT;
  }

  /** A reader with the given limits. */
  public static StrictJsonReader withLimits(JsonLimits limits) {
    return new StrictJsonReader(limits);
  }

  /** The limits this reader applies. */
  public JsonLimits limits() {
    return limits;
  }

  /** Reads one JSON document from UTF-8 bytes. */
  public JsonValue read(byte[] utf8) {
    return read(utf8, 0, utf8.length);
  }

  /** Reads one JSON document from {@code len} UTF-8 bytes of {@code utf8} starting at {@code off}. */
  public JsonValue read(byte[] utf8, int off, int len) {
    Objects.checkFromIndexSize(off, len, utf8.length);
    if (len > limits.maxBytes()) {
      throw new KasComputeException(
          ErrorCode.BODY_TOO_LARGE,
          "document is " + len + " bytes; the limit is " + limits.maxBytes());
    }
    Utf8.checkDocument(utf8, off, len);
    if (len >= 3 && utf8[off] == (byte) 0xef && utf8[off + 1] == (byte) 0xbb
        && utf8[off + 2] == (byte) 0xbf) {
      // Jackson's byte parser would skip it silently; RFC 8259 forbids sending one.
      throw new KasComputeException(ErrorCode.MALFORMED_JSON, "byte order mark at byte 0");
    }
    try {
      return parse(factory.createParser(utf8, off, len));
    } catch (IOException e) {
      throw new KasComputeException(ErrorCode.MALFORMED_JSON, "unreadable JSON: " + e.getMessage(), e);
    }
  }

  /** Reads one JSON document from a string (already decoded text). */
  public JsonValue read(String json) {
    char[] chars = json.toCharArray();
    if (chars.length > limits.maxBytes()) {
      throw new KasComputeException(
          ErrorCode.BODY_TOO_LARGE,
          "document is at least " + chars.length + " bytes; the limit is " + limits.maxBytes());
    }
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new KasComputeException(ErrorCode.INVALID_UTF8, "lone surrogate at character " + i);
      }
    }
    return parse(chars);
  }

  private JsonValue parse(char[] chars) {
    try {
      return parse(factory.createParser(chars));
    } catch (IOException e) {
      throw new KasComputeException(ErrorCode.MALFORMED_JSON, "unreadable JSON: " + e.getMessage(), e);
    }
  }

  private JsonValue parse(JsonParser parser) {
    try (JsonParser p = parser) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new KasComputeException(ErrorCode.MALFORMED_JSON, "document is empty");
      }
      JsonValue root = readValue(p, first, 0);
      JsonToken after;
      try {
        after = p.nextToken();
      } catch (JsonProcessingException e) {
        throw error(ErrorCode.TRAILING_DATA, "unexpected data after the JSON value", p);
      }
      if (after != null) {
        throw error(ErrorCode.TRAILING_DATA, "unexpected data after the JSON value", p);
      }
      return root;
    } catch (StreamConstraintsException e) {
      throw new KasComputeException(ErrorCode.INVALID_NUMBER, firstLine(e.getOriginalMessage()), e);
    } catch (JsonProcessingException e) {
      throw new KasComputeException(
          ErrorCode.MALFORMED_JSON, firstLine(e.getOriginalMessage()) + at(e.getLocation()), e);
    } catch (IOException e) {
      throw new KasComputeException(ErrorCode.MALFORMED_JSON, "unreadable JSON: " + e.getMessage(), e);
    }
  }

  private JsonValue readValue(JsonParser p, JsonToken token, int depth) throws IOException {
    switch (token) {
      case START_OBJECT:
        return readObject(p, depth + 1);
      case START_ARRAY:
        return readArray(p, depth + 1);
      case VALUE_STRING:
        return new JsonString(checkedText(p, p.getText()));
      case VALUE_NUMBER_INT:
        return JsonNumber.parsed(p.getText(), p.getValueAsDouble());
      case VALUE_NUMBER_FLOAT:
        if (p.isNaN()) {
          throw error(ErrorCode.INVALID_NUMBER, "JSON has no " + p.getText(), p);
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
          throw error(ErrorCode.INVALID_NUMBER, "number " + p.getText() + " overflows a double", p);
        }
        return JsonNumber.parsed(p.getText(), d);
      case VALUE_TRUE:
        return JsonBoolean.TRUE;
      case VALUE_FALSE:
        return JsonBoolean.FALSE;
      case VALUE_NULL:
        return JsonNull.INSTANCE;
      default:
        throw error(ErrorCode.MALFORMED_JSON, "unexpected token " + token, p);
    }
  }

  private JsonObject readObject(JsonParser p, int depth) throws IOException {
    checkDepth(p, depth);
    Map<String, JsonValue> members = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = checkedText(p, p.currentName());
      JsonValue value = readValue(p, p.nextToken(), depth);
      if (members.putIfAbsent(key, value) != null) {
        throw error(ErrorCode.DUPLICATE_KEY, "duplicate key \"" + printable(key) + "\"", p);
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw error(ErrorCode.MALFORMED_JSON, "unterminated object", p);
    }
    return new JsonObject(members);
  }

  private JsonArray readArray(JsonParser p, int depth) throws IOException {
    checkDepth(p, depth);
    List<JsonValue> elements = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw error(ErrorCode.MALFORMED_JSON, "unterminated array", p);
      }
      elements.add(readValue(p, t, depth));
    }
    return new JsonArray(elements);
  }

  private void checkDepth(JsonParser p, int depth) {
    if (depth > limits.maxDepth()) {
      throw error(
          ErrorCode.NESTING_TOO_DEEP, "nesting deeper than " + limits.maxDepth() + " levels", p);
    }
  }

  private static String checkedText(JsonParser p, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw error(
            ErrorCode.INVALID_UTF8,
            "string holds a lone surrogate \\u" + Integer.toHexString(c),
            p);
      }
    }
    return s;
  }

  private static KasComputeException error(ErrorCode code, String message, JsonParser p) {
    return new KasComputeException(code, message + at(p.currentTokenLocation()));
  }

  private static String at(JsonLocation loc) {
    if (loc == null) {
      return "";
    }
    return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    StringBuilder b = new StringBuilder(cut.length());
    cut.codePoints().forEach(cp -> {
      if (cp < 0x20) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }
}
