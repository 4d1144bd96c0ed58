package io.kascompute.core;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes; every sort the
 * protocol hashes uses it.
 *
 * <p>{@link String#compareTo} orders by UTF-16 code unit and disagrees with this order when one
 * string has a character above U+FFFF where the other has one in U+E000..U+FFFF.
 */
public final class CodePointOrder {
  /** The comparator form of {@link #compare(String, String)}. */
  public static final Comparator<String> COMPARATOR = CodePointOrder::compare;

  private CodePointOrder() {}

  /** Compares two strings by code point. */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF and must sort after
        // every BMP character, including U+E000..U+FFFF: lift them above the BMP range.
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        if (sa != sb) {
          return sa ? 1 : -1;
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }
}
