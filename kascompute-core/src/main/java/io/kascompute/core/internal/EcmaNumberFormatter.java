package io.kascompute.core.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats finite doubles as ECMAScript's Number::toString does (ECMA-262, 7.1.12.1), which is the
 * number serialization RFC 8785 requires.
 *
 * <p>ECMAScript picks the shortest decimal significand that reads back as the same double and,
 * among those of that length, the one closest to the exact binary value. JDK 17's {@link
 * Double#toString(double)} always reads back but is sometimes one digit too long and sometimes not
 * the closest, so it only serves as a starting point here: the shortest length is found by testing
 * the two decimals of each shorter length that bracket it (any decimal of that length that reads
 * back lies in the same rounding interval, so one of those two does), and the closest decimal of
 * that length is then taken from the exact value with {@link BigDecimal}.
 */
public final class EcmaNumberFormatter {
  private static final double TWO_53 = 9007199254740992.0;
  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private EcmaNumberFormatter() {}

  /**
   * The ECMAScript string form of a finite double ({@code -0} gives {@code "0"}).
   *
   * @throws IllegalArgumentException if {@code d} is NaN or infinite
   */
  public static String format(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("not a finite double: " + d);
    }
    if (d == 0) {
      return "0";
    }
    if (Math.abs(d) < TWO_53 && d == (long) d) {
      // Below 2^53 every integer is a double and its neighbours are at most 1 away, so its own
      // digits are the shortest that read back; ECMAScript prints these in full.
      return Long.toString((long) d);
    }
    StringBuilder out = new StringBuilder(26);
    if (d < 0) {
      out.append('-');
      d = -d;
    }
    long[] digits = shortestClosest(d);
    layout(out, digits[0], (int) digits[1]);
    return out.toString();
  }

  /** Returns {significand, exponent}: the ECMAScript digits of positive d as s x 10^q. */
  static long[] shortestClosest(double d) {
    // Parse JDK 17's rendering ("123.45", "0.00123", "1.2345E-7") into s x 10^q.
    String text = Double.toString(d);
    long s = 0;
    int q = 0;
    int fractionDigits = 0;
    boolean inFraction = false;
    int i = 0;
    int n = text.length();
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        inFraction = true;
      } else if (c == 'E') {
        q = Integer.parseInt(text, i + 1, n, 10);
        break;
      } else {
        s = s * 10 + (c - '0');
        if (inFraction) {
          fractionDigits++;
        }
      }
    }
    q -= fractionDigits;
    while (s % 10 == 0) {
      s /= 10;
      q++;
    }
    int len = digitCount(s);

    // Shortest length: the smallest p for which a p-digit decimal reads back as d.
    int p = len;
    while (p > 1) {
      int drop = len - (p - 1);
      long lo = s / POW10[drop];
      int qq = q + drop;
      if (readsBack(lo, qq, d) || readsBack(lo + 1, qq, d)) {
        p--;
      } else {
        break;
      }
    }

    // Closest p-digit decimal to the exact value of d; if the rounding interval is lopsided (d a
    // power of two) the nearest may not read back, and then its neighbour on d's other side does.
    BigDecimal exact = new BigDecimal(d);
    BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
    long sig = nearest.unscaledValue().longValueExact();
    int exp = -nearest.scale();
    if (!readsBack(sig, exp, d)) {
      if (nearest.compareTo(exact) < 0) {
        sig++;
      } else if (sig == POW10[p - 1]) {
        // Below a power of ten the p-digit grid is ten times finer.
        sig = POW10[p] - 1;
        exp--;
      } else {
        sig--;
      }
    }
    while (sig % 10 == 0) {
      sig /= 10;
      exp++;
    }
    return new long[] {sig, exp};
  }

  private static boolean readsBack(long significand, int exponent, double d) {
    return Double.parseDouble(significand + "E" + exponent) == d;
  }

  private static int digitCount(long v) {
    int k = 1;
    while (k < POW10.length && v >= POW10[k]) {
      k++;
    }
    return k;
  }

  /** Writes s x 10^q (s without trailing zeros) in ECMAScript Number::toString layout. */
  private static void layout(StringBuilder out, long s, int q) {
    String digits = Long.toString(s);
    int k = digits.length();
    int n = q + k; // value = 0.digits x 10^n
    if (k <= n && n <= 21) {
      out.append(digits);
      for (int z = 0; z < n - k; z++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int z = 0; z < -n; z++) {
        out.append('0');
      }
      out.append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }
}
