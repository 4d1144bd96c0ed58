package io.kascompute.core.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Formats finite doubles as ECMAScript's Number::toString does (ECMA-262, 7.1.12.1), which is the
 * number serialization RFC 8785 requires.
 *
 * <p>ECMAScript picks the shortest decimal significand that reads back as the same double and,
 * among those of that length, the one closest to the exact binary value. JDK 17's {@link
 * Double#toString(double)} always reads back but is sometimes one digit too long and sometimes not
 * the closest, so it only serves as a starting point here: the shortest length is found by testing
 * the two decimals of each shorter length that bracket it against the double's exact rounding
 * interval (any decimal of that length that reads back lies in that interval, so one of those two
 * does), and the closest decimal of that length is then found by exact comparison with midpoints.
 * All comparisons are exact integer arithmetic.
 */
public final class EcmaNumberFormatter {
  private static final double TWO_53 = 9007199254740992.0;
  private static final long[] POW10 = new long[19];
  private static final BigInteger[] POW5 = new BigInteger[400];
  private static final long[] POW5_LONG = new long[28];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
    POW5_LONG[0] = 1;
    for (int i = 1; i < POW5_LONG.length; i++) {
      POW5_LONG[i] = POW5_LONG[i - 1] * 5;
    }
    POW5[0] = BigInteger.ONE;
    for (int i = 1; i < POW5.length; i++) {
      POW5[i] = POW5[i - 1].multiply(BigInteger.valueOf(5));
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
    byte[] out = new byte[32];
    int n = 0;
    if (d < 0) {
      out[n++] = '-';
      d = -d;
    }
    long[] digits = shortestClosest(d);
    n = layout(out, n, digits[0], (int) digits[1]);
    return new String(out, 0, n, StandardCharsets.ISO_8859_1);
  }

  /**
   * Puts into {@code out} (at least 32 bytes) the ASCII ECMAScript form of the double nearest to
   * {@code ±significand x 10^exponent} and returns its length, provided the significand has at
   * most 15 digits and that double is normal (at least {@link Double#MIN_NORMAL} in magnitude):
   * such a decimal is the only one of at most 15 digits that rounds to its double, so its own
   * digits are the shortest.
   */
  public static int formatShortDecimal(
      byte[] out, boolean negative, long significand, int exponent) {
    if (significand == 0) {
      out[0] = '0';
      return 1;
    }
    if (significand >= POW10[15]) {
      throw new IllegalArgumentException("more than 15 digits: " + significand);
    }
    while (significand % 10 == 0) {
      significand /= 10;
      exponent++;
    }
    int n = 0;
    if (negative) {
      out[n++] = '-';
    }
    return layout(out, n, significand, exponent);
  }

  /** Returns {significand, exponent}: the ECMAScript digits of positive d as s x 10^q. */
  static long[] shortestClosest(double d) {
    Binary b = new Binary(d);
    // Parse JDK 17's rendering ("123.45", "0.00123", "1.2345E-7") into s x 10^q.
    String text = Double.toString(d);
    long s = 0;
    int q = 0;
    int fractionDigits = 0;
    boolean inFraction = false;
    int n = text.length();
    for (int i = 0; i < n; i++) {
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
    if (len <= 15 && d >= Double.MIN_NORMAL) {
      // Distinct decimals of at most 15 significant digits in the normal range never round to the
      // same double, so digits that read back are the only ones of their length and nothing
      // shorter reads back: they are already the answer.
      return new long[] {s, q};
    }

    // Shortest length: the smallest p for which some p-digit decimal reads back as d. The rounding
    // interval is convex and holds s, so if any p-digit decimal lies in it, one of the two that
    // bracket s does.
    int p = len;
    while (p > 1) {
      int drop = len - (p - 1);
      long lo = s / POW10[drop];
      int qq = q + drop;
      // lo < s and lo + 1 > s, and s reads back: each needs checking on one side only.
      if (b.atOrAboveLow(lo, qq) || b.atOrBelowHigh(lo + 1, qq)) {
        p--;
      } else {
        break;
      }
    }

    // The p-digit decimal nearest to d, found by walking from s's rounding; ties go to even.
    int drop = len - p;
    long g = s / POW10[drop];
    int exp = q + drop;
    if (drop > 0 && s % POW10[drop] >= POW10[drop] / 2) {
      g++;
    }
    if (g == POW10[p]) {
      g = POW10[p - 1];
      exp++;
    }
    while (true) {
      long below = g == POW10[p - 1] ? POW10[p] - 1 : g - 1;
      int belowExp = g == POW10[p - 1] ? exp - 1 : exp;
      int c = b.compareToMidpoint(below, belowExp, g, exp);
      if (c < 0 || (c == 0 && (g & 1) != 0)) {
        g = below;
        exp = belowExp;
        continue;
      }
      long above = g == POW10[p] - 1 ? POW10[p - 1] : g + 1;
      int aboveExp = g == POW10[p] - 1 ? exp + 1 : exp;
      c = b.compareToMidpoint(g, exp, above, aboveExp);
      if (c > 0 || (c == 0 && (g & 1) != 0)) {
        g = above;
        exp = aboveExp;
        continue;
      }
      break;
    }
    // If the interval is lopsided (d a power of two) the nearest may not read back; then the
    // closest one that does is its neighbour on d's other side.
    int side = b.compareTo(g, exp);
    if (side > 0 ? !b.atOrAboveLow(g, exp) : !b.atOrBelowHigh(g, exp)) {
      if (side > 0) {
        if (g == POW10[p] - 1) {
          g = POW10[p - 1];
          exp++;
        } else {
          g++;
        }
      } else if (g == POW10[p - 1]) {
        g = POW10[p] - 1;
        exp--;
      } else {
        g--;
      }
    }
    while (g % 10 == 0) {
      g /= 10;
      exp++;
    }
    return new long[] {g, exp};
  }

  /** A positive finite double as m x 2^e, compared exactly against decimals. */
  private static final class Binary {
    final long m;
    final int e;
    final long lowM;
    final int lowE;
    final long highM;
    final int highE;
    final boolean inclusive;

    Binary(double d) {
      long bits = Double.doubleToRawLongBits(d);
      int be = (int) (bits >>> 52) & 0x7ff;
      long f = bits & 0xfffffffffffffL;
      m = be == 0 ? f : f | (1L << 52);
      e = be == 0 ? -1074 : be - 1075;
      highM = 2 * m + 1;
      highE = e - 1;
      if (f == 0 && be > 1) {
        lowM = 4 * m - 1; // the double below is half as far away
        lowE = e - 2;
      } else {
        lowM = 2 * m - 1;
        lowE = e - 1;
      }
      inclusive = (m & 1) == 0; // round-half-even reading keeps ties on an even significand
    }

    /** True if sig x 10^exp is not below the rounding interval of this double. */
    boolean atOrAboveLow(long sig, int exp) {
      int lo = compare(sig, exp, lowM, lowE);
      return lo > 0 || (lo == 0 && inclusive);
    }

    /** True if sig x 10^exp is not above the rounding interval of this double. */
    boolean atOrBelowHigh(long sig, int exp) {
      int hi = compare(sig, exp, highM, highE);
      return hi < 0 || (hi == 0 && inclusive);
    }

    /** The sign of d - sig x 10^exp. */
    int compareTo(long sig, int exp) {
      return -compare(sig, exp, m, e);
    }

    /** The sign of d - (a x 10^ae + b x 10^be) / 2, where ae and be differ by at most one. */
    int compareToMidpoint(long a, int ae, long b, int be) {
      int z = Math.min(ae, be);
      long sum = a * POW10[ae - z] + b * POW10[be - z];
      return -compare(sum, z, m, e + 1);
    }
  }

  /** The sign of dec x 10^k - bin x 2^t, computed exactly. */
  private static int compare(long dec, int k, long bin, int t) {
    if (k >= -27 && k <= 27) {
      // 5^27 < 2^63, so both sides fit in 128 bits before the power of two is applied.
      long lHi;
      long lLo;
      long rHi;
      long rLo;
      if (k >= 0) {
        lHi = Math.multiplyHigh(dec, POW5_LONG[k]);
        lLo = dec * POW5_LONG[k];
        rHi = 0;
        rLo = bin;
      } else {
        lHi = 0;
        lLo = dec;
        rHi = Math.multiplyHigh(bin, POW5_LONG[-k]);
        rLo = bin * POW5_LONG[-k];
      }
      int shift = k - t;
      return shift >= 0
          ? compareShifted(lHi, lLo, shift, rHi, rLo)
          : -compareShifted(rHi, rLo, -shift, lHi, lLo);
    }
    // dec x 5^k x 2^k against bin x 2^t; move the powers of five and two to one side each.
    BigInteger left = BigInteger.valueOf(dec);
    BigInteger right = BigInteger.valueOf(bin);
    if (k >= 0) {
      left = left.multiply(pow5(k));
    } else {
      right = right.multiply(pow5(-k));
    }
    int shift = k - t;
    if (shift >= 0) {
      left = left.shiftLeft(shift);
    } else {
      right = right.shiftLeft(-shift);
    }
    return left.compareTo(right);
  }

  /** The sign of (aHi:aLo) x 2^shift - (bHi:bLo), both unsigned 128-bit values. */
  private static int compareShifted(long aHi, long aLo, int shift, long bHi, long bLo) {
    int aBits = bitLength(aHi, aLo);
    int bBits = bitLength(bHi, bLo);
    if (aBits == 0 || bBits == 0) {
      return Integer.compare(aBits, bBits);
    }
    if (aBits + (long) shift != bBits) {
      return aBits + (long) shift > bBits ? 1 : -1;
    }
    // Same bit length, so the shift is below 128 and the shifted value still fits.
    if (shift >= 64) {
      aHi = aLo << (shift - 64);
      aLo = 0;
    } else if (shift > 0) {
      aHi = (aHi << shift) | (aLo >>> (64 - shift));
      aLo <<= shift;
    }
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  private static int bitLength(long hi, long lo) {
    return hi != 0 ? 128 - Long.numberOfLeadingZeros(hi) : 64 - Long.numberOfLeadingZeros(lo);
  }

  private static BigInteger pow5(int k) {
    return k < POW5.length ? POW5[k] : BigInteger.valueOf(5).pow(k);
  }

  private static int digitCount(long v) {
    int k = 1;
    while (k < POW10.length && v >= POW10[k]) {
      k++;
    }
    return k;
  }

  /**
   * Writes s x 10^q (s without trailing zeros) in ECMAScript Number::toString layout into {@code
   * out} from index {@code n}; returns the index after the last byte written.
   */
  private static int layout(byte[] out, int n, long s, int q) {
    int k = digitCount(s);
    int point = q + k; // value = 0.digits x 10^point
    if (k <= point && point <= 21) {
      putDigits(out, n, s, k);
      n += k;
      for (int z = 0; z < point - k; z++) {
        out[n++] = '0';
      }
    } else if (0 < point && point <= 21) {
      putDigits(out, n, s, k);
      System.arraycopy(out, n + point, out, n + point + 1, k - point);
      out[n + point] = '.';
      n += k + 1;
    } else if (-6 < point && point <= 0) {
      out[n++] = '0';
      out[n++] = '.';
      for (int z = 0; z < -point; z++) {
        out[n++] = '0';
      }
      putDigits(out, n, s, k);
      n += k;
    } else {
      int e = point - 1;
      putDigits(out, n + 1, s, k);
      out[n] = out[n + 1];
      if (k > 1) {
        out[n + 1] = '.';
        n += k + 1;
      } else {
        n++;
      }
      out[n++] = 'e';
      out[n++] = (byte) (e < 0 ? '-' : '+');
      int abs = Math.abs(e);
      if (abs >= 100) {
        out[n++] = (byte) ('0' + abs / 100);
      }
      if (abs >= 10) {
        out[n++] = (byte) ('0' + abs / 10 % 10);
      }
      out[n++] = (byte) ('0' + abs % 10);
    }
    return n;
  }

  /** Writes the {@code k} decimal digits of {@code s} at {@code out[at..at+k)}. */
  private static void putDigits(byte[] out, int at, long s, int k) {
    for (int i = at + k - 1; i >= at; i--) {
      out[i] = (byte) ('0' + s % 10);
      s /= 10;
    }
  }
}
