package io.kascompute.crypto.internal;

import io.kascompute.core.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one job proof record (a JSON object, one line of an audit log) in a single pass over its
 * bytes, without building a tree, and remembers where each known field's value lies.
 *
 * <p>The scanner only ever accepts: {@link #scan} returns true when the bytes are a JSON object
 * that the strict reader ({@code StrictJsonReader}) reads without complaint and from which {@code
 * JobProofSubmission.fromJson} reads every required field with the right type, and then the
 * values found here are exactly the ones those would produce. Anything else (a syntax error,
 * invalid UTF-8, a duplicate key, a nested value, a {@code null} known field, a number it does not
 * read as a plain unsigned integer, an escape in a key or a hex field, a field of the wrong type,
 * a missing field, a name together with its alias) returns false, and the caller lets the strict
 * reader decide, so that every refusal keeps the strict reader's code. Refusals are rare in an
 * audit log, so they may be slow; accepted lines are fast.
 *
 * <p>Not thread-safe: one instance per thread, reused line after line.
 */
public final class ProofLineScanner {
  /** Field index of {@code node_id}. */
  public static final int NODE_ID = 0;
  /** Field index of {@code miner_id}. */
  public static final int MINER_ID = 1;
  /** Field index of {@code job_id}. */
  public static final int JOB_ID = 2;
  /** Field index of {@code work_units}. */
  public static final int WORK_UNITS = 3;
  /** Field index of {@code workload_mode}. */
  public static final int WORKLOAD_MODE = 4;
  /** Field index of {@code elapsed_ms}. */
  public static final int ELAPSED_MS = 5;
  /** Field index of {@code client_version}. */
  public static final int CLIENT_VERSION = 6;
  /** Field index of {@code timestamp_unix}. */
  public static final int TIMESTAMP_UNIX = 7;
  /** Field index of {@code ts}, the alias of {@code timestamp_unix}. */
  public static final int TS = 8;
  /** Field index of {@code proof_hash_hex}. */
  public static final int PROOF_HASH_HEX = 9;
  /** Field index of {@code proof_hash}, the alias of {@code proof_hash_hex}. */
  public static final int PROOF_HASH = 10;
  /** Field index of {@code signature_hex}. */
  public static final int SIGNATURE_HEX = 11;
  /** Field index of {@code signature}, the alias of {@code signature_hex}. */
  public static final int SIGNATURE = 12;
  /** Field index of {@code public_key_hex}. */
  public static final int PUBLIC_KEY_HEX = 13;

  private static final byte[][] NAMES = {
    ascii("node_id"), ascii("miner_id"), ascii("job_id"), ascii("work_units"),
    ascii("workload_mode"), ascii("elapsed_ms"), ascii("client_version"),
    ascii("timestamp_unix"), ascii("ts"), ascii("proof_hash_hex"), ascii("proof_hash"),
    ascii("signature_hex"), ascii("signature"), ascii("public_key_hex")
  };
  private static final int FIELDS = NAMES.length;
  private static final boolean[] NUMERIC = new boolean[FIELDS];
  private static final boolean[] HEX = new boolean[FIELDS];

  static {
    NUMERIC[JOB_ID] = NUMERIC[WORK_UNITS] = NUMERIC[ELAPSED_MS] = true;
    NUMERIC[TIMESTAMP_UNIX] = NUMERIC[TS] = true;
    HEX[PROOF_HASH_HEX] = HEX[PROOF_HASH] = HEX[SIGNATURE_HEX] = HEX[SIGNATURE] = true;
    HEX[PUBLIC_KEY_HEX] = true;
  }

  /** Unknown keys beyond this many are left to the strict reader (its duplicate check). */
  private static final int MAX_UNKNOWN_KEYS = 16;
  /** Numbers of unknown fields longer than this are left to the strict reader. */
  private static final int MAX_NUMBER_LENGTH = 300;
  private static final byte[] U64_MAX = ascii("18446744073709551615");

  private final int[] start = new int[FIELDS];
  private final int[] end = new int[FIELDS];
  private final boolean[] escaped = new boolean[FIELDS];
  private final long[] value = new long[FIELDS];
  private final int[] unknownStart = new int[MAX_UNKNOWN_KEYS];
  private final int[] unknownEnd = new int[MAX_UNKNOWN_KEYS];
  private int unknownKeys;
  private byte[] src;
  private boolean lastEscaped;
  private boolean lastPlainU64;
  private long lastValue;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Scans {@code len} bytes of {@code b} from {@code off}; true if they are a well-formed record
   * with every required field ({@code node_id, job_id, work_units, timestamp_unix|ts,
   * signature_hex|signature, public_key_hex}) present and well typed, false if the strict reader
   * must decide.
   */
  public boolean scan(byte[] b, int off, int len, int maxBytes) {
    if (len > maxBytes) {
      return false;
    }
    src = b;
    Arrays.fill(start, -1);
    unknownKeys = 0;
    int limit = off + len;
    int i = skipWhitespace(b, off, limit);
    if (i >= limit || b[i] != '{') {
      return false;
    }
    i = skipWhitespace(b, i + 1, limit);
    while (true) {
      if (i >= limit || b[i] != '"') {
        return false; // also the empty object, which lacks the required fields
      }
      int keyStart = i + 1;
      int keyEnd = scanKey(b, keyStart, limit);
      if (keyEnd < 0) {
        return false;
      }
      int field = fieldOf(b, keyStart, keyEnd - keyStart);
      if (field >= 0 ? start[field] >= 0 : !rememberUnknown(b, keyStart, keyEnd)) {
        return false;
      }
      i = skipWhitespace(b, keyEnd + 1, limit);
      if (i >= limit || b[i] != ':') {
        return false;
      }
      i = skipWhitespace(b, i + 1, limit);
      if (i >= limit) {
        return false;
      }
      int c = b[i];
      if (c == '"') {
        int valueEnd = scanString(b, i + 1, limit);
        if (valueEnd < 0 || field >= 0 && (NUMERIC[field] || HEX[field] && lastEscaped)) {
          return false;
        }
        if (field >= 0) {
          start[field] = i + 1;
          end[field] = valueEnd;
          escaped[field] = lastEscaped;
        }
        i = valueEnd + 1;
      } else if (c == '-' || c >= '0' && c <= '9') {
        int numberEnd = scanNumber(b, i, limit);
        if (numberEnd < 0 || field >= 0 && !(NUMERIC[field] && lastPlainU64)) {
          return false;
        }
        if (field >= 0) {
          start[field] = i;
          end[field] = numberEnd;
          value[field] = lastValue;
        }
        i = numberEnd;
      } else if (field < 0 && (c == 't' || c == 'f' || c == 'n')) {
        i = literal(b, i, limit);
        if (i < 0) {
          return false;
        }
      } else {
        return false; // a nested value, null for a known field, NaN, or not JSON
      }
      i = skipWhitespace(b, i, limit);
      if (i >= limit) {
        return false;
      }
      if (b[i] == ',') {
        i = skipWhitespace(b, i + 1, limit);
      } else if (b[i] == '}') {
        if (skipWhitespace(b, i + 1, limit) != limit) {
          return false;
        }
        break;
      } else {
        return false;
      }
    }
    return start[NODE_ID] >= 0 && start[JOB_ID] >= 0 && start[WORK_UNITS] >= 0
        && (start[TIMESTAMP_UNIX] >= 0) != (start[TS] >= 0)
        && (start[SIGNATURE_HEX] >= 0) != (start[SIGNATURE] >= 0)
        && (start[PROOF_HASH_HEX] < 0 || start[PROOF_HASH] < 0)
        && start[PUBLIC_KEY_HEX] >= 0;
  }

  /** Whether the last accepted line has this field. */
  public boolean has(int field) {
    return start[field] >= 0;
  }

  /** Start of the field's value: the first byte inside the quotes for a string, the first digit for a number. */
  public int start(int field) {
    return start[field];
  }

  /** End (exclusive) of the field's value: its closing quote for a string. */
  public int end(int field) {
    return end[field];
  }

  /** Whether the string field holds escapes (its raw bytes are then not its UTF-8 value). */
  public boolean escaped(int field) {
    return escaped[field];
  }

  /** The value of a numeric field, an unsigned 64-bit integer held in a {@code long}. */
  public long number(int field) {
    return value[field];
  }

  /** The field of the two names that is present ({@code name}'s index or its alias's), or -1. */
  public int either(int name, int alias) {
    return start[name] >= 0 ? name : start[alias] >= 0 ? alias : -1;
  }

  /** The value of a string field, decoded. */
  public String string(int field) {
    int s = start[field];
    int e = end[field];
    if (!escaped[field]) {
      return new String(src, s, e - s, StandardCharsets.UTF_8);
    }
    byte[] utf8 = new byte[e - s];
    int n = unescape(src, s, e, utf8, 0, false);
    return new String(utf8, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * Writes the string field's value to {@code out} at {@code p} (room for {@link
   * #maxCanonicalLength} bytes is the caller's job): as raw UTF-8, or with the protocol's minimal
   * JSON escaping when {@code canonical} (without the quotes); returns the position after it.
   */
  public int write(int field, byte[] out, int p, boolean canonical) {
    int s = start[field];
    int e = end[field];
    if (!escaped[field]) {
      System.arraycopy(src, s, out, p, e - s);
      return p + e - s;
    }
    return unescape(src, s, e, out, p, canonical);
  }

  /** An upper bound of the bytes {@link #write} writes for the field. */
  public int maxCanonicalLength(int field) {
    int n = end[field] - start[field];
    // An escape of 2 input bytes (\n) writes at most 2, one of 6 (\u001f) at most 6; raw bytes 1:1.
    return n;
  }

  /** Copies the raw bytes of a field's value (digits, or a string without escapes). */
  public int copyRaw(int field, byte[] out, int p) {
    int n = end[field] - start[field];
    System.arraycopy(src, start[field], out, p, n);
    return p + n;
  }

  /** The source bytes of the last line. */
  public byte[] source() {
    return src;
  }

  private boolean rememberUnknown(byte[] b, int s, int e) {
    int n = e - s;
    for (int k = 0; k < unknownKeys; k++) {
      if (unknownEnd[k] - unknownStart[k] == n
          && Arrays.equals(b, unknownStart[k], unknownEnd[k], b, s, e)) {
        return false;
      }
    }
    if (unknownKeys == MAX_UNKNOWN_KEYS) {
      return false;
    }
    unknownStart[unknownKeys] = s;
    unknownEnd[unknownKeys++] = e;
    return true;
  }

  private static int fieldOf(byte[] b, int s, int n) {
    for (int f = 0; f < FIELDS; f++) {
      byte[] name = NAMES[f];
      if (name.length == n && Arrays.equals(name, 0, n, b, s, s + n)) {
        return f;
      }
    }
    return -1;
  }

  private static int skipWhitespace(byte[] b, int i, int limit) {
    while (i < limit) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  /** The index of the key's closing quote, or -1 for an escape, a control character or bad UTF-8. */
  private static int scanKey(byte[] b, int i, int limit) {
    while (i < limit) {
      int c = b[i];
      if (c == '"') {
        return i;
      }
      if (c == '\\' || c >= 0 && c < 0x20) {
        return -1;
      }
      if (c < 0) {
        int n = utf8SequenceLength(b, i, limit);
        if (n <= 0) {
          return -1;
        }
        i += n;
      } else {
        i++;
      }
    }
    return -1;
  }

  /**
   * The index of the string's closing quote, or -1 if the strict reader must decide (a control
   * character, a bad escape, a lone surrogate, bad UTF-8, no closing quote); sets {@link
   * #lastEscaped}.
   */
  private int scanString(byte[] b, int i, int limit) {
    boolean esc = false;
    while (i < limit) {
      i = Swar.skipPlainAscii(b, i, limit);
      if (i >= limit) {
        break;
      }
      int c = b[i];
      if (c == '"') {
        lastEscaped = esc;
        return i;
      }
      if (c == '\\') {
        esc = true;
        i = skipEscape(b, i, limit);
        if (i < 0) {
          return -1;
        }
      } else if (c >= 0x20) {
        i++;
      } else if (c >= 0) {
        return -1;
      } else {
        int n = utf8SequenceLength(b, i, limit);
        if (n <= 0) {
          return -1;
        }
        i += n;
      }
    }
    return -1;
  }

  /** The index after the escape at {@code i}, or -1 if it is not one JSON allows or is a lone surrogate. */
  private static int skipEscape(byte[] b, int i, int limit) {
    if (i + 1 >= limit) {
      return -1;
    }
    switch (b[i + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
        return i + 2;
      case 'u':
        int unit = hex4(b, i + 2, limit);
        if (unit < 0) {
          return -1;
        }
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (i + 7 >= limit || b[i + 6] != '\\' || b[i + 7] != 'u') {
            return -1;
          }
          int low = hex4(b, i + 8, limit);
          return low >= 0xdc00 && low <= 0xdfff ? i + 12 : -1;
        }
        return unit >= 0xdc00 && unit <= 0xdfff ? -1 : i + 6;
      default:
        return -1;
    }
  }

  private static int hex4(byte[] b, int i, int limit) {
    if (i + 4 > limit) {
      return -1;
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = hexDigit(b[i + k]);
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static final byte[] HEX_VALUES = new byte[256];

  static {
    java.util.Arrays.fill(HEX_VALUES, (byte) -1);
    for (int c = 0; c < 256; c++) {
      if (c >= '0' && c <= '9') {
        HEX_VALUES[c] = (byte) (c - '0');
      } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        HEX_VALUES[c] = (byte) ((c | 0x20) - 'a' + 10);
      }
    }
  }

  /** The value of a hex digit (either case), or -1 (for any other character, non-ASCII too). */
  public static int hexDigit(int c) {
    return c >= 0 && c < 256 ? HEX_VALUES[c] : -1;
  }

  /** The value of the hex digit in byte {@code b} (either case), or -1. */
  public static int hexDigit(byte b) {
    return HEX_VALUES[b & 0xff];
  }

  /**
   * The index after a JSON number at {@code i}, or -1 if it is malformed, has an exponent or is
   * longer than {@value #MAX_NUMBER_LENGTH} characters; sets {@link #lastPlainU64} (no sign, no
   * fraction, at most 2^64-1) and {@link #lastValue}.
   */
  private int scanNumber(byte[] b, int i, int limit) {
    int s = i;
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    if (i >= limit) {
      return -1;
    }
    int digitsStart = i;
    if (b[i] == '0') {
      i++;
      if (i < limit && isDigit(b[i])) {
        return -1; // a leading zero
      }
    } else if (isDigit(b[i])) {
      while (i < limit && isDigit(b[i])) {
        i++;
      }
    } else {
      return -1;
    }
    int digits = i - digitsStart;
    boolean fraction = false;
    if (i < limit && b[i] == '.') {
      fraction = true;
      i++;
      if (i >= limit || !isDigit(b[i])) {
        return -1;
      }
      while (i < limit && isDigit(b[i])) {
        i++;
      }
    }
    if (i < limit && (b[i] | 0x20) == 'e' || i - s > MAX_NUMBER_LENGTH) {
      return -1;
    }
    lastPlainU64 = !negative && !fraction && (digits < 20
        || digits == 20 && Arrays.compare(b, digitsStart, i, U64_MAX, 0, 20) <= 0);
    if (lastPlainU64) {
      long v = 0;
      for (int k = digitsStart; k < i; k++) {
        v = v * 10 + (b[k] - '0');
      }
      lastValue = v;
    }
    return i;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** The index after {@code true}, {@code false} or {@code null} at {@code i}, or -1. */
  private static int literal(byte[] b, int i, int limit) {
    byte[] word = b[i] == 't' ? TRUE : b[i] == 'f' ? FALSE : NULL;
    int e = i + word.length;
    return e <= limit && Arrays.equals(word, 0, word.length, b, i, e) ? e : -1;
  }

  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  /**
   * The length of the well-formed UTF-8 sequence (2 to 4 bytes) whose non-ASCII lead byte is at
   * {@code i}, or 0 if it is malformed or cut off (RFC 3629: no overlong forms, no surrogates,
   * nothing above U+10FFFF).
   */
  static int utf8SequenceLength(byte[] b, int i, int limit) {
    int c = b[i] & 0xff;
    int need;
    int min = 0x80;
    int max = 0xbf;
    if (c < 0xc2) {
      return 0;
    } else if (c < 0xe0) {
      need = 1;
    } else if (c < 0xf0) {
      need = 2;
      if (c == 0xe0) {
        min = 0xa0;
      } else if (c == 0xed) {
        max = 0x9f;
      }
    } else if (c < 0xf5) {
      need = 3;
      if (c == 0xf0) {
        min = 0x90;
      } else if (c == 0xf4) {
        max = 0x8f;
      }
    } else {
      return 0;
    }
    if (i + need >= limit) {
      return 0;
    }
    int second = b[i + 1] & 0xff;
    if (second < min || second > max) {
      return 0;
    }
    for (int k = 2; k <= need; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return 0;
      }
    }
    return need + 1;
  }

  /**
   * Decodes the escapes of a scanned string span and writes its value at {@code p}: raw UTF-8, or
   * re-escaped minimally when {@code canonical}; returns the position after it. The span was
   * checked by {@link #scanString}, so every escape is valid and every surrogate paired.
   */
  private static int unescape(byte[] b, int s, int e, byte[] out, int p, boolean canonical) {
    int i = s;
    while (i < e) {
      int c = b[i];
      if (c != '\\') {
        out[p++] = (byte) c;
        i++;
        continue;
      }
      int cp;
      switch (b[i + 1]) {
        case 'b' -> cp = '\b';
        case 'f' -> cp = '\f';
        case 'n' -> cp = '\n';
        case 'r' -> cp = '\r';
        case 't' -> cp = '\t';
        case 'u' -> {
          cp = hex4(b, i + 2, e);
          if (cp >= 0xd800 && cp <= 0xdbff) {
            cp = Character.toCodePoint((char) cp, (char) hex4(b, i + 8, e));
            i += 6;
          }
          i += 4;
        }
        default -> cp = b[i + 1]; // " \ /
      }
      i += 2;
      if (cp < 0x20 || cp == '"' || cp == '\\') {
        if (canonical) {
          p = JsonWriter.escape(out, p, cp);
        } else {
          out[p++] = (byte) cp;
        }
      } else if (cp < 0x80) {
        out[p++] = (byte) cp;
      } else if (cp < 0x800) {
        out[p++] = (byte) (0xc0 | cp >> 6);
        out[p++] = (byte) (0x80 | cp & 0x3f);
      } else if (cp < 0x10000) {
        out[p++] = (byte) (0xe0 | cp >> 12);
        out[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[p++] = (byte) (0x80 | cp & 0x3f);
      } else {
        out[p++] = (byte) (0xf0 | cp >> 18);
        out[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[p++] = (byte) (0x80 | cp & 0x3f);
      }
    }
    return p;
  }
}
