package io.kascompute.crypto.ledger;

import io.kascompute.core.Sha256Digest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1 transcribed literally (recursive MTH, PATH and PROOF over the list of
 * leaves), as the independent reference the tree code is tested against.
 */
final class ReferenceTree {
  private ReferenceTree() {}

  static byte[] sha(byte prefix, byte[]... parts) {
    MessageDigest md = Sha256Digest.newMessageDigest();
    md.update(prefix);
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  static Sha256Digest mth(List<byte[]> d) {
    return Sha256Digest.of(mthBytes(d));
  }

  private static byte[] mthBytes(List<byte[]> d) {
    int n = d.size();
    if (n == 0) {
      return Sha256Digest.hash(new byte[0]).toByteArray();
    }
    if (n == 1) {
      return sha((byte) 0, d.get(0));
    }
    int k = largestPowerOfTwoBelow(n);
    return sha((byte) 1, mthBytes(d.subList(0, k)), mthBytes(d.subList(k, n)));
  }

  static int largestPowerOfTwoBelow(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  static List<Sha256Digest> path(int m, List<byte[]> d) {
    int n = d.size();
    List<Sha256Digest> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(path(m - k, d.subList(k, n)));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /**
   * The shape of PATH(m, D[n]), nearest the leaf first: 'L' where the proof hash is the left
   * sibling, 'R' where it is the right one. The RFC verifier's steps depend on nothing else, so two
   * claims with the same shape verify alike.
   */
  static String pathShape(int m, int n) {
    if (n <= 1) {
      return "";
    }
    int k = largestPowerOfTwoBelow(n);
    return m < k ? pathShape(m, k) + "R" : pathShape(m - k, n - k) + "L";
  }

  /**
   * The shape of PROOF(m, D[n]): '*' when the walk ends in the old tree's own root (the verifier
   * starts from the first root), 's' when it ends in a proof hash, then per proof hash from the
   * bottom 'L' (left sibling of both trees' paths) or 'R' (right sibling, new tree only).
   */
  static String proofShape(int m, int n) {
    return subproofShape(m, n, true);
  }

  private static String subproofShape(int m, int n, boolean b) {
    if (m == n) {
      return b ? "*" : "s";
    }
    int k = largestPowerOfTwoBelow(n);
    return m <= k ? subproofShape(m, k, b) + "R" : subproofShape(m - k, n - k, false) + "L";
  }

  static List<Sha256Digest> proof(int m, List<byte[]> d) {
    if (m == 0 || m == d.size()) {
      return new ArrayList<>();
    }
    return subproof(m, d, true);
  }

  private static List<Sha256Digest> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<Sha256Digest> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }
}
