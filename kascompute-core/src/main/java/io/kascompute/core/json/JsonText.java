package io.kascompute.core.json;

import java.util.Map;

/**
 * The compact JSON text of a value as read: members in their order, numbers as their source text,
 * strings minimally escaped (a lone surrogate, which has no UTF-8 form, as its {@code \}{@code
 * uXXXX} escape). This is what {@code toString()} of every {@link JsonValue} returns; it is not a
 * canonical form (see {@link CanonicalJson} for RFC 8785).
 */
final class JsonText {
  private JsonText() {}

  static String of(JsonValue v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonValue v) {
    if (v instanceof JsonObject o) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof JsonArray a) {
      sb.append('[');
      for (int i = 0; i < a.elements().size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, a.elements().get(i));
      }
      sb.append(']');
    } else if (v instanceof JsonString s) {
      string(sb, s.value());
    } else if (v instanceof JsonNumber n) {
      sb.append(n.text());
    } else if (v instanceof JsonBoolean b) {
      sb.append(b.value() ? "true" : "false");
    } else {
      sb.append("null");
    }
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
          if (pair) {
            sb.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
