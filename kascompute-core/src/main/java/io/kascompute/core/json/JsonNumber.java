package io.kascompute.core.json;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.internal.EcmaNumberFormatter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A JSON number that keeps its source text, so integers up to 2^64-1 and beyond stay exact.
 *
 * <p>Create one with {@link #of(long)}, {@link #ofUnsigned(long)}, {@link #of(double)} or, for
 * text already validated by a JSON parser, {@link #parsed(String, double)}.
 */
public final class JsonNumber implements JsonValue {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private final String text;
  private final double doubleValue;
  private final boolean integer;

  private JsonNumber(String text, double doubleValue) {
    this.text = text;
    this.doubleValue = doubleValue;
    this.integer = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
  }

  /** A signed integer. */
  public static JsonNumber of(long value) {
    return new JsonNumber(Long.toString(value), value);
  }

  /** An unsigned 64-bit integer held in a {@code long}. */
  public static JsonNumber ofUnsigned(long value) {
    String text = Long.toUnsignedString(value);
    return new JsonNumber(text, Double.parseDouble(text));
  }

  /**
   * A finite double, written in its ECMAScript form (as RFC 8785 writes it); {@code NaN} and
   * infinities are refused with {@link ErrorCode#INVALID_NUMBER}.
   */
  public static JsonNumber of(double value) {
    if (!Double.isFinite(value)) {
      throw new KasComputeException(ErrorCode.INVALID_NUMBER, "JSON has no " + value);
    }
    return new JsonNumber(EcmaNumberFormatter.format(value), value);
  }

  /**
   * A JSON number literal such as {@code 1.50} or {@code 18446744073709551615}, kept as written.
   *
   * @throws KasComputeException {@link ErrorCode#INVALID_NUMBER} if it is not an RFC 8259 number
   *     literal or has no finite IEEE-754 double value
   */
  public static JsonNumber of(String literal) {
    checkLiteral(Objects.requireNonNull(literal, "literal"));
    return parsed(literal, Double.parseDouble(literal));
  }

  /**
   * A number a JSON parser read, with the double it already computed: {@code text} is checked to
   * be an RFC 8259 number literal; {@code doubleValue} must be its nearest finite double.
   *
   * @throws KasComputeException {@link ErrorCode#INVALID_NUMBER} for a text that is not a number
   *     literal or a value that is not finite
   */
  public static JsonNumber parsed(String text, double doubleValue) {
    checkLiteral(Objects.requireNonNull(text, "text"));
    if (!Double.isFinite(doubleValue)) {
      throw new KasComputeException(
          ErrorCode.INVALID_NUMBER, "number " + text + " has no finite IEEE-754 double value");
    }
    return new JsonNumber(text, doubleValue);
  }

  /** Checks {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  private static void checkLiteral(String t) {
    int i = 0;
    int n = t.length();
    if (i < n && t.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    if (i < n && t.charAt(i) == '0') {
      i++;
    } else {
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
    }
    boolean ok = i > digits;
    if (ok && i < n && t.charAt(i) == '.') {
      int f = ++i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      ok = i > f;
    }
    if (ok && i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int e = i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      ok = i > e;
    }
    if (!ok || i != n) {
      throw new KasComputeException(ErrorCode.INVALID_NUMBER, "\"" + (n > 40 ? t.substring(0, 40) + "…" : t)
          + "\" is not a JSON number literal");
    }
  }

  /** The number exactly as written in the source. */
  public String text() {
    return text;
  }

  /** The nearest IEEE-754 double, which is the number's value under RFC 8785. */
  public double doubleValue() {
    return doubleValue;
  }

  /** True if the source text has no fraction and no exponent. */
  public boolean isIntegerLiteral() {
    return integer;
  }

  /**
   * The value as an unsigned 64-bit integer in a {@code long} (read it with {@link
   * Long#toUnsignedString(long)}).
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} if the literal is fractional,
   *     has an exponent, is negative or exceeds 2^64-1
   */
  public long unsignedLongValue(String field) {
    if (!integer) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, field + " must be an integer, got " + text);
    }
    if (text.startsWith("-")) {
      if (text.equals("-0")) {
        return 0;
      }
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, field + " must not be negative, got " + text);
    }
    if (text.length() < 19) {
      return Long.parseLong(text);
    }
    BigInteger big = new BigInteger(text);
    if (big.compareTo(TWO_64) >= 0) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, field + " exceeds 2^64-1, got " + text);
    }
    return big.longValue();
  }

  @Override
  public String typeName() {
    return "number";
  }

  /**
   * Numbers are equal when their exact decimal values are equal ({@code 100}, {@code 1e2} and
   * {@code 100.0} are; {@code 9007199254740993} and {@code 9007199254740992} are not).
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JsonNumber other)) {
      return false;
    }
    if (Double.compare(doubleValue == 0.0 ? 0.0 : doubleValue,
            other.doubleValue == 0.0 ? 0.0 : other.doubleValue) != 0) {
      return false; // different nearest doubles imply different exact values
    }
    if (text.equals(other.text)) {
      return true;
    }
    try {
      return new BigDecimal(text).compareTo(new BigDecimal(other.text)) == 0;
    } catch (NumberFormatException | ArithmeticException e) {
      // An exponent beyond BigDecimal's range: such a literal is a zero that underflowed.
      return true;
    }
  }

  @Override
  public int hashCode() {
    return Double.hashCode(doubleValue == 0.0 ? 0.0 : doubleValue);
  }

  @Override
  public String toString() {
    return text;
  }
}
