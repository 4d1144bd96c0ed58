package io.kascompute.core.json;

import io.kascompute.core.internal.EcmaNumberFormatter;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.internal.Utf8;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Canonicalizes in one pass over the bytes, without a parser: a strict RFC 8259 recognizer that
 * writes the RFC 8785 form as it goes and, when an object closes, reorders its members' output
 * byte ranges by name if they did not arrive sorted.
 *
 * <p>It accepts only documents that {@link StrictJsonReader} accepts, and for them returns exactly
 * {@code CanonicalJson.write(reader.read(bytes))}. It returns null for every document the reader
 * refuses, so that the caller can ask the reader for the error, and also declines two rare kinds
 * of valid documents: those with a member name whose canonical form needs an escape (a quote, a
 * backslash or a control character: names are compared as their canonical bytes), and those with
 * a number literal longer than {@value #MAX_NUMBER_CHARS} characters (so that the reader's number
 * length limit need not be reproduced).
 */
final class CanonicalScanner {
  /** The longest number literal this scanner handles; the reader refuses beyond 100,000. */
  static final int MAX_NUMBER_CHARS = 1000;

  /** Returned by the scanning methods, in place of the next input position, to decline. */
  private static final int DECLINE = -1;
  /** Objects with at most this many members are sorted by insertion, larger ones by merge sort. */
  private static final int INSERTION_SORT_MAX = 32;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private final byte[] in;
  private final int end;
  private final int maxDepth;
  // No token's canonical form is longer than its source except a number's, and numbers make room
  // for theirs, so out.length >= len + (end - i) holds throughout, i being the input position:
  // the rest of the input always fits, which lets strings copy eight bytes at a time unchecked.
  private byte[] out;
  private int len;
  // Set when a string escape writes a backslash to the output.
  private boolean escaped;
  // Three ints for each member of every object still open, innermost last: where the member
  // starts in the output (its name's opening quote), its name's length, and where it ends; and
  // its name's sort key (see sortKey).
  private int[] members = new int[3 * 16];
  private long[] keys = new long[16];
  private int top;
  private int[] order = new int[INSERTION_SORT_MAX];
  private byte[] scratch;
  private final byte[] numberText = new byte[32];

  private CanonicalScanner(byte[] in, int maxDepth) {
    this.in = in;
    this.end = in.length;
    this.maxDepth = maxDepth;
    this.out = new byte[end + 16];
  }

  /** The canonical bytes of {@code json}, or null if it is refused or declined (see above). */
  static byte[] canonicalize(byte[] json, JsonLimits limits) {
    if (json.length > limits.maxBytes()) {
      return null;
    }
    return new CanonicalScanner(json, limits.maxDepth()).document();
  }

  private byte[] document() {
    int i = value(skipWhitespace(0), 0);
    if (i == DECLINE || skipWhitespace(i) != end) {
      return null;
    }
    return Arrays.copyOf(out, len);
  }

  private int skipWhitespace(int i) {
    byte[] b = in;
    while (i < end) {
      byte c = b[i];
      if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
        break;
      }
      i++;
    }
    return i;
  }

  /** Scans the value starting at {@code i} inside a container of the given depth. */
  private int value(int i, int depth) {
    if (i >= end) {
      return DECLINE;
    }
    return switch (in[i]) {
      case '{' -> object(i + 1, depth + 1);
      case '[' -> array(i + 1, depth + 1);
      case '"' -> string(i + 1);
      case 't' -> literal(i, TRUE);
      case 'f' -> literal(i, FALSE);
      case 'n' -> literal(i, NULL);
      default -> number(i);
    };
  }

  private int literal(int i, byte[] word) {
    int n = word.length;
    if (end - i < n || !Arrays.equals(in, i, i + n, word, 0, n)) {
      return DECLINE;
    }
    System.arraycopy(word, 0, out, len, n);
    len += n;
    return i + n;
  }

  private int array(int i, int depth) {
    if (depth > maxDepth) {
      return DECLINE;
    }
    out[len++] = '[';
    i = skipWhitespace(i);
    if (i < end && in[i] == ']') {
      out[len++] = ']';
      return i + 1;
    }
    while (true) {
      i = value(i, depth);
      if (i == DECLINE) {
        return DECLINE;
      }
      i = skipWhitespace(i);
      if (i >= end) {
        return DECLINE;
      }
      byte c = in[i];
      if (c == ']') {
        out[len++] = ']';
        return i + 1;
      }
      if (c != ',') {
        return DECLINE;
      }
      out[len++] = ',';
      i = skipWhitespace(i + 1);
    }
  }

  private int object(int i, int depth) {
    if (depth > maxDepth) {
      return DECLINE;
    }
    out[len++] = '{';
    int start = len;
    int base = top;
    boolean sorted = true;
    i = skipWhitespace(i);
    if (i < end && in[i] == '}') {
      out[len++] = '}';
      return i + 1;
    }
    while (true) {
      if (i >= end || in[i] != '"') {
        return DECLINE;
      }
      int from = len;
      escaped = false;
      i = string(i + 1);
      if (i == DECLINE || escaped) {
        return DECLINE;
      }
      int nameLength = len - from - 2;
      long key = sortKey(from + 1, nameLength);
      i = skipWhitespace(i);
      if (i >= end || in[i] != ':') {
        return DECLINE;
      }
      out[len++] = ':';
      // The value pushes and pops its own members above ours.
      i = value(skipWhitespace(i + 1), depth);
      if (i == DECLINE) {
        return DECLINE;
      }
      if (top > base) {
        int c = compareName(top - 1, key, from, nameLength);
        if (c == 0) {
          return DECLINE; // a duplicate name
        }
        sorted &= c < 0;
      }
      if (top == keys.length) {
        members = Arrays.copyOf(members, 6 * top);
        keys = Arrays.copyOf(keys, 2 * top);
      }
      keys[top] = key;
      members[3 * top] = from;
      members[3 * top + 1] = nameLength;
      members[3 * top + 2] = len;
      top++;
      i = skipWhitespace(i);
      if (i >= end) {
        return DECLINE;
      }
      byte c = in[i];
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return DECLINE;
      }
      out[len++] = ',';
      i = skipWhitespace(i + 1);
    }
    if (!sorted && !reorder(start, base, top - base)) {
      return DECLINE;
    }
    top = base;
    out[len++] = '}';
    return i + 1;
  }

  /**
   * The first eight bytes of a name in the output, ranked as {@link #rank} ranks them, in a long
   * from the most significant byte down, padded with zero bytes. No name holds a zero byte (it
   * would need an escape), so comparing keys as unsigned longs orders names by their first eight
   * bytes, a shorter name first if it is a prefix of the other.
   */
  private long sortKey(int at, int length) {
    int n = Math.min(length, 8);
    if (n == 0) {
      return 0;
    }
    byte[] o = out;
    long mask = -1L << (8 * (8 - n));
    if (at + 8 <= o.length) {
      long word = (long) BIG_ENDIAN_LONGS.get(o, at) & mask;
      if ((word & HIGH_BITS) == 0) {
        return word; // ASCII ranks as itself
      }
    }
    long key = 0;
    for (int i = 0; i < n; i++) {
      key = (key << 8) | rank(o[at + i]);
    }
    return key << (8 * (8 - n));
  }

  /**
   * A UTF-8 byte's rank for ordering names by their UTF-16 code units. Where two names first
   * differ, both bytes start a character, or both sit at the same place in characters of the same
   * length. UTF-8 byte order is code point order, which is UTF-16 order except that a
   * supplementary character (lead byte F0 to F4; a surrogate pair D800-DBFF DC00-DFFF in UTF-16)
   * sorts before U+E000 to U+FFFF (lead byte EE or EF): the rank moves those two bytes up.
   */
  private static int rank(byte b) {
    int x = b & 0xff;
    return x < 0xee ? x : x < 0xf0 ? x + 7 : x - 2;
  }

  /**
   * Compares member {@code m}'s name with the name of {@code length} bytes and sort key {@code
   * key} whose opening quote is at {@code from} in the output, in RFC 8785 order.
   */
  private int compareName(int m, long key, int from, int length) {
    long mKey = keys[m];
    if (mKey != key) {
      return Long.compareUnsigned(mKey, key);
    }
    int mLength = members[3 * m + 1];
    if (mLength <= 8 || length <= 8) {
      return mLength - length;
    }
    byte[] o = out;
    int a = members[3 * m] + 9;
    int b = from + 9;
    int n = Math.min(mLength, length) - 8;
    for (int k = 0; k < n; k++) {
      if (o[a + k] != o[b + k]) {
        return rank(o[a + k]) - rank(o[b + k]);
      }
    }
    return mLength - length;
  }

  /**
   * Rewrites the {@code n} members after {@code start} in name order; returns false, for a
   * duplicate name, instead.
   */
  private boolean reorder(int start, int base, int n) {
    int[] sortedIdx = sortMembers(base, n);
    int[] mb = members;
    for (int i = 1; i < n; i++) {
      int a = sortedIdx[i - 1];
      int b = sortedIdx[i];
      if (compareName(a, keys[b], mb[3 * b], mb[3 * b + 1]) == 0) {
        return false;
      }
    }
    int size = len - start;
    if (scratch == null || scratch.length < size) {
      scratch = new byte[Math.max(size, end)];
    }
    byte[] o = out;
    System.arraycopy(o, start, scratch, 0, size);
    int p = start;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        o[p++] = ',';
      }
      int m = sortedIdx[i];
      int from = mb[3 * m];
      int length = mb[3 * m + 2] - from;
      System.arraycopy(scratch, from - start, o, p, length);
      p += length;
    }
    return true;
  }

  /** The indices of the {@code n} members from {@code base}, in name order. */
  private int[] sortMembers(int base, int n) {
    int[] mb = members;
    if (n <= INSERTION_SORT_MAX) {
      int[] idx = order;
      for (int i = 0; i < n; i++) {
        int m = base + i;
        long key = keys[m];
        int j = i - 1;
        while (j >= 0 && compareName(idx[j], key, mb[3 * m], mb[3 * m + 1]) > 0) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = m;
      }
      return idx;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = base + i;
    }
    Arrays.sort(boxed, (a, b) -> compareName(a, keys[b], mb[3 * b], mb[3 * b + 1]));
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = boxed[i];
    }
    return idx;
  }

  /**
   * Scans the string whose opening quote is just before {@code i} and writes it with the minimal
   * escaping: raw UTF-8, checked as {@link StrictJsonReader} checks it, is copied as is.
   */
  private int string(int i) {
    byte[] src = in;
    byte[] dst = out;
    int e = end;
    int p = len;
    dst[p++] = '"';
    while (true) {
      // Eight bytes at a time (the output has room: see out) up to the first that is not plain.
      while (i + 8 <= e) {
        long word = (long) LONGS.get(src, i);
        LONGS.set(dst, p, word);
        long special = notPlain(word);
        if (special != 0) {
          int k = Long.numberOfTrailingZeros(special) >>> 3;
          i += k;
          p += k;
          break;
        }
        i += 8;
        p += 8;
      }
      if (i >= e) {
        return DECLINE;
      }
      int c = src[i];
      if (c >= 0x20 && c != '"' && c != '\\') {
        dst[p++] = (byte) c;
        i++;
      } else if (c == '"') {
        dst[p++] = '"';
        len = p;
        return i + 1;
      } else if (c == '\\') {
        len = p;
        i = escape(i + 1);
        if (i == DECLINE) {
          return DECLINE;
        }
        p = len;
      } else if (c < 0) {
        int n = Utf8.sequenceLength(src, i, e);
        if (n <= 0) {
          return DECLINE;
        }
        System.arraycopy(src, i, dst, p, n);
        p += n;
        i += n;
      } else {
        return DECLINE; // a raw control character
      }
    }
  }

  /**
   * The high bit of each byte of a little-endian word that is a quote, a backslash, a control
   * character or non-ASCII; bits above the lowest may be spurious, the lowest is exact.
   */
  private static long notPlain(long word) {
    long quote = word ^ 0x2222222222222222L;
    long backslash = word ^ 0x5c5c5c5c5c5c5c5cL;
    return ((quote - ONES) & ~quote
            | (backslash - ONES) & ~backslash
            | (word - 0x2020202020202020L) & ~word
            | word)
        & HIGH_BITS;
  }

  /** Scans the escape whose backslash is just before {@code i} and writes its character. */
  private int escape(int i) {
    if (i >= end) {
      return DECLINE;
    }
    int c;
    switch (in[i]) {
      case '"' -> c = '"';
      case '\\' -> c = '\\';
      case '/' -> c = '/';
      case 'b' -> c = '\b';
      case 'f' -> c = '\f';
      case 'n' -> c = '\n';
      case 'r' -> c = '\r';
      case 't' -> c = '\t';
      case 'u' -> {
        c = hex4(i + 1);
        i += 4;
        if (Character.isHighSurrogate((char) c)) {
          // Only a \\u escape of a low surrogate may follow; anything else leaves it alone.
          int low = i + 2 < end && in[i + 1] == '\\' && in[i + 2] == 'u' ? hex4(i + 3) : -1;
          if (low < 0 || !Character.isLowSurrogate((char) low)) {
            return DECLINE;
          }
          putCodePoint(Character.toCodePoint((char) c, (char) low));
          return i + 7;
        }
        if (c < 0 || Character.isLowSurrogate((char) c)) {
          return DECLINE;
        }
      }
      default -> {
        return DECLINE;
      }
    }
    putCodePoint(c);
    return i + 1;
  }

  /** The value of the four hex digits at {@code i}, or -1. */
  private int hex4(int i) {
    if (i + 4 > end) {
      return -1;
    }
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int d = hexDigit(in[k]);
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private static int hexDigit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    int lower = b | 0x20;
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  /** Writes a code point (not a surrogate) with the minimal escaping. */
  private void putCodePoint(int c) {
    byte[] o = out;
    int p = len;
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\') {
        o[p++] = (byte) c;
      } else {
        escaped = true;
        p = JsonWriter.escape(o, p, c);
      }
    } else if (c < 0x800) {
      o[p++] = (byte) (0xc0 | (c >> 6));
      o[p++] = (byte) (0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      o[p++] = (byte) (0xe0 | (c >> 12));
      o[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
      o[p++] = (byte) (0x80 | (c & 0x3f));
    } else {
      o[p++] = (byte) (0xf0 | (c >> 18));
      o[p++] = (byte) (0x80 | ((c >> 12) & 0x3f));
      o[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
      o[p++] = (byte) (0x80 | (c & 0x3f));
    }
    len = p;
  }

  /**
   * Scans a number literal and writes the ECMAScript form of its double: an integer of at most 15
   * digits as written, other literals through {@link #decimal} when it can, anything else through
   * {@link Double#parseDouble}, which like the reader's parser rounds correctly.
   */
  private int number(int i) {
    byte[] b = in;
    int first = i;
    boolean negative = b[i] == '-';
    if (negative && ++i >= end) {
      return DECLINE;
    }
    int intStart = i;
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      i = digits(i + 1);
    } else {
      return DECLINE;
    }
    int intEnd = i;
    int fractionEnd = i;
    if (i < end && b[i] == '.') {
      if (i + 1 >= end || !isDigit(b[i + 1])) {
        return DECLINE;
      }
      i = digits(i + 1);
      fractionEnd = i;
    }
    long exponent = 0;
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      boolean exponentNegative = false;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        exponentNegative = b[i] == '-';
        i++;
      }
      if (i >= end || !isDigit(b[i])) {
        return DECLINE;
      }
      for (; i < end && isDigit(b[i]); i++) {
        if (exponent < 100_000) {
          exponent = exponent * 10 + (b[i] - '0');
        }
      }
      if (exponentNegative) {
        exponent = -exponent;
      }
    }
    int length = i - first;
    if (length > MAX_NUMBER_CHARS) {
      return DECLINE;
    }
    if (i == intEnd && intEnd - intStart <= 15) {
      // Up to 15 digits the integer is exact as a double and ECMAScript prints it unchanged.
      if (negative && intEnd - intStart == 1 && b[intStart] == '0') {
        out[len++] = '0';
      } else {
        System.arraycopy(b, first, out, len, length);
        len += length;
      }
      return i;
    }
    int n = decimal(intStart, intEnd, fractionEnd, negative, exponent);
    if (n == 0) {
      double d = Double.parseDouble(new String(b, first, length, StandardCharsets.ISO_8859_1));
      if (!Double.isFinite(d)) {
        return DECLINE;
      }
      n = formatted(d);
    }
    putNumber(n, i);
    return i;
  }

  private int digits(int i) {
    while (i < end && isDigit(in[i])) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /**
   * Lays out in {@link #numberText} the ECMAScript form of the literal with integer digits from
   * {@code intStart} to {@code intEnd}, fraction digits from there (after the point) to {@code
   * fractionEnd} and the given exponent, and returns its length, if its double needs no parsing of
   * its text; returns 0 otherwise.
   */
  private int decimal(int intStart, int intEnd, int fractionEnd, boolean negative, long exponent) {
    byte[] b = in;
    long s = 0;
    int digits = 0;
    int scale = 0;
    for (int k = intStart; k < fractionEnd; k++) {
      if (k == intEnd) {
        continue; // the decimal point
      }
      int d = b[k] - '0';
      if (s != 0 || d != 0) {
        if (++digits > 18) {
          return 0;
        }
        s = s * 10 + d;
      }
      if (k > intEnd) {
        scale++;
      }
    }
    long e10 = exponent - scale; // the value is s x 10^e10, s having `digits` digits
    if (s == 0 || (digits <= 15 && digits - 1 + e10 >= -307 && digits + e10 <= 308)) {
      // Zero, or at most 15 digits well inside the normal range: its own digits are the shortest.
      return EcmaNumberFormatter.formatShortDecimal(numberText, negative, s, (int) e10);
    }
    if (s <= 1L << 53 && e10 >= -22 && e10 <= 22) {
      // s and 10^|e10| are exact doubles, so one IEEE operation gives the correctly rounded
      // value, as parsing would (Clinger's fast path).
      double d = e10 < 0 ? s / POW10[(int) -e10] : s * POW10[(int) e10];
      return formatted(negative ? -d : d);
    }
    return 0;
  }

  /** Lays out in {@link #numberText} the ECMAScript form of {@code d}; returns its length. */
  private int formatted(double d) {
    String text = EcmaNumberFormatter.format(d);
    int n = text.length();
    for (int k = 0; k < n; k++) {
      numberText[k] = (byte) text.charAt(k);
    }
    return n;
  }

  /** Writes the first {@code n} bytes of {@link #numberText}, input position {@code i} reached. */
  private void putNumber(int n, int i) {
    int needed = len + n + (end - i);
    if (needed > out.length) {
      out = Arrays.copyOf(out, Math.max(needed, 2 * out.length));
    }
    System.arraycopy(numberText, 0, out, len, n);
    len += n;
  }
}
