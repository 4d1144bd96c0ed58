package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The RFC 9162 (section 2.1) Merkle tree hash with SHA-256: leaf hash {@code SHA-256(0x00 ||
 * leaf)}, node hash {@code SHA-256(0x01 || left || right)}, the empty tree's root {@code
 * SHA-256()}; roots, inclusion proofs and consistency proofs built from a store's perfect
 * subtree hashes ({@link SubtreeHashes}) with O(log n) reads, and their verification exactly as
 * RFC 9162 sections 2.1.3.2 and 2.1.4.2 give it.
 *
 * <p>Tree sizes and leaf indexes are non-negative {@code long}s (up to 2^63-1 leaves). Proofs are
 * lists of hashes in the RFC's order: the sibling nearest the leaf first.
 */
public final class MerkleTree {
  private static final Sha256Digest EMPTY_ROOT = Sha256Digest.hash(new byte[0]);

  private MerkleTree() {}

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static Sha256Digest emptyRoot() {
    return EMPTY_ROOT;
  }

  /** The leaf hash {@code SHA-256(0x00 || leaf)}. */
  public static Sha256Digest leafHash(byte[] leaf) {
    return leafHash(leaf, 0, leaf.length);
  }

  /** The leaf hash of {@code len} bytes of {@code leaf} from {@code off}. */
  public static Sha256Digest leafHash(byte[] leaf, int off, int len) {
    Objects.checkFromIndexSize(off, len, leaf.length);
    return Sha256Digest.of(Hashing.leaf(Hashing.sha256(), leaf, off, len));
  }

  /** The node hash {@code SHA-256(0x01 || left || right)}. */
  public static Sha256Digest nodeHash(Sha256Digest left, Sha256Digest right) {
    return Sha256Digest.of(
        Hashing.node(Hashing.sha256(), left.toByteArray(), right.toByteArray()));
  }

  /** The root of the tree whose leaves are {@code leaves}, in order. */
  public static Sha256Digest root(List<byte[]> leaves) {
    CompactRange range = CompactRange.empty();
    MessageDigest md = Hashing.sha256();
    for (byte[] leaf : leaves) {
      range.appendRaw(Hashing.leaf(md, leaf, 0, leaf.length), null);
    }
    return range.root();
  }

  /**
   * The perfect subtrees that {@link #root(long, SubtreeHashes)} reads for a tree of {@code size}
   * leaves: one per set bit of {@code size}, largest first.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for a negative size
   */
  public static List<Subtree> rootReads(long size) {
    checkSize("size", size);
    List<Subtree> reads = new ArrayList<>();
    decompose(0, size, reads);
    return reads;
  }

  /**
   * The root of the first {@code size} leaves of the log that {@code hashes} holds.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for a negative size, or
   *     what {@code hashes} throws for a subtree it does not hold
   */
  public static Sha256Digest root(long size, SubtreeHashes hashes) {
    checkSize("size", size);
    if (size == 0) {
      return EMPTY_ROOT;
    }
    return Sha256Digest.of(rangeHash(0, size, hashes, Hashing.sha256()));
  }

  /**
   * The perfect subtrees that {@link #inclusionProof} reads, in the order it reads them.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} unless {@code 0 <= index <
   *     size}
   */
  public static List<Subtree> inclusionReads(long index, long size) {
    List<Subtree> reads = new ArrayList<>();
    for (long[] r : inclusionRanges(index, size)) {
      decompose(r[0], r[1], reads);
    }
    return reads;
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves (RFC
   * 9162 {@code PATH(index, D[size])}), at most 63 hashes.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} unless {@code 0 <= index <
   *     size}, or what {@code hashes} throws for a subtree it does not hold
   */
  public static List<Sha256Digest> inclusionProof(long index, long size, SubtreeHashes hashes) {
    return build(inclusionRanges(index, size), hashes);
  }

  /**
   * The perfect subtrees that {@link #consistencyProof} reads, in the order it reads them.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} unless {@code 0 <= first <=
   *     second}
   */
  public static List<Subtree> consistencyReads(long first, long second) {
    List<Subtree> reads = new ArrayList<>();
    for (long[] r : consistencyRanges(first, second)) {
      decompose(r[0], r[1], reads);
    }
    return reads;
  }

  /**
   * The consistency proof between the trees of the first {@code first} and the first {@code
   * second} leaves (RFC 9162 {@code PROOF(first, D[second])}); empty when {@code first} is 0 or
   * equals {@code second}.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} unless {@code 0 <= first <=
   *     second}, or what {@code hashes} throws for a subtree it does not hold
   */
  public static List<Sha256Digest> consistencyProof(long first, long second, SubtreeHashes hashes) {
    return build(consistencyRanges(first, second), hashes);
  }

  /**
   * Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose
   * root is {@code root} (RFC 9162 section 2.1.3.2); returns normally when it is.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} unless {@code 0 <= index <
   *     size}; {@link ErrorCode#INCLUSION_FAILED} if the proof has the wrong length or does not
   *     lead to {@code root}
   */
  public static void verifyInclusion(
      long index, long size, Sha256Digest leafHash, List<Sha256Digest> proof, Sha256Digest root) {
    checkIndex(index, size);
    Objects.requireNonNull(root, "root");
    MessageDigest md = Hashing.sha256();
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash.toByteArray();
    for (Sha256Digest hash : proof) {
      byte[] p = hash.toByteArray();
      if (sn == 0) {
        throw inclusionFailed(index, size, "the proof has more hashes than the path has levels");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Hashing.node(md, p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = Hashing.node(md, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw inclusionFailed(index, size, "the proof has fewer hashes than the path has levels");
    }
    if (!root.matches(r)) {
      throw inclusionFailed(index, size, "the proof leads to " + Sha256Digest.of(r).hex()
          + ", not to the root " + root.hex());
    }
  }

  /**
   * Verifies that the tree of {@code first} leaves with root {@code firstRoot} is a prefix of the
   * tree of {@code second} leaves with root {@code secondRoot} (RFC 9162 section 2.1.4.2); returns
   * normally when it is. Equal sizes need an empty proof and equal roots; size 0 needs an empty
   * proof and the empty tree's root as {@code firstRoot}.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} unless {@code 0 <= first <=
   *     second}; {@link ErrorCode#CONSISTENCY_FAILED} if the proof does not show it
   */
  public static void verifyConsistency(long first, long second, Sha256Digest firstRoot,
      Sha256Digest secondRoot, List<Sha256Digest> proof) {
    checkSizes(first, second);
    Objects.requireNonNull(firstRoot, "firstRoot");
    Objects.requireNonNull(secondRoot, "secondRoot");
    if (first == second || first == 0) {
      if (!proof.isEmpty()) {
        throw consistencyFailed(first, second, "the proof must be empty, it has "
            + proof.size() + " hashes");
      }
      if (first == second && !firstRoot.equals(secondRoot)) {
        throw consistencyFailed(first, second, "the trees have the same size but different roots");
      }
      if (first == 0 && !firstRoot.equals(EMPTY_ROOT)) {
        throw consistencyFailed(first, second, "the first root is not the empty tree's root");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw consistencyFailed(first, second, "the proof is empty");
    }
    List<Sha256Digest> path = proof;
    if (Long.bitCount(first) == 1) {
      path = new ArrayList<>(proof.size() + 1);
      path.add(firstRoot);
      path.addAll(proof);
    }
    MessageDigest md = Hashing.sha256();
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0).toByteArray();
    byte[] sr = fr;
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i).toByteArray();
      if (sn == 0) {
        throw consistencyFailed(first, second, "the proof has more hashes than it can use");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Hashing.node(md, c, fr);
        sr = Hashing.node(md, c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = Hashing.node(md, sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw consistencyFailed(first, second, "the proof has fewer hashes than it needs");
    }
    if (!firstRoot.matches(fr)) {
      throw consistencyFailed(first, second, "the proof leads to first root "
          + Sha256Digest.of(fr).hex() + ", not to " + firstRoot.hex());
    }
    if (!secondRoot.matches(sr)) {
      throw consistencyFailed(first, second, "the proof leads to second root "
          + Sha256Digest.of(sr).hex() + ", not to " + secondRoot.hex());
    }
  }

  /** The ranges [a, b) whose tree hashes form PATH(index, D[size]), nearest the leaf first. */
  private static List<long[]> inclusionRanges(long index, long size) {
    checkIndex(index, size);
    List<long[]> ranges = new ArrayList<>();
    long a = 0;
    long b = size;
    while (b - a > 1) {
      long k = Long.highestOneBit(b - a - 1);
      if (index < a + k) {
        ranges.add(new long[] {a + k, b});
        b = a + k;
      } else {
        ranges.add(new long[] {a, a + k});
        a += k;
      }
    }
    Collections.reverse(ranges);
    return ranges;
  }

  /** The ranges [a, b) whose tree hashes form PROOF(first, D[second]), deepest first. */
  private static List<long[]> consistencyRanges(long first, long second) {
    checkSizes(first, second);
    List<long[]> ranges = new ArrayList<>();
    if (first == 0 || first == second) {
      return ranges;
    }
    long a = 0;
    long b = second;
    long m = first;
    boolean whole = true;
    while (m != b - a) {
      long k = Long.highestOneBit(b - a - 1);
      if (m <= k) {
        ranges.add(new long[] {a + k, b});
        b = a + k;
      } else {
        ranges.add(new long[] {a, a + k});
        a += k;
        m -= k;
        whole = false;
      }
    }
    if (!whole) {
      ranges.add(new long[] {a, b});
    }
    Collections.reverse(ranges);
    return ranges;
  }

  private static List<Sha256Digest> build(List<long[]> ranges, SubtreeHashes hashes) {
    Objects.requireNonNull(hashes, "hashes");
    MessageDigest md = Hashing.sha256();
    List<Sha256Digest> proof = new ArrayList<>(ranges.size());
    for (long[] r : ranges) {
      proof.add(Sha256Digest.of(rangeHash(r[0], r[1], hashes, md)));
    }
    return List.copyOf(proof);
  }

  /**
   * The tree hash of leaves [a, b), a range of the RFC's recursion: the perfect subtrees of its
   * decomposition, largest first, folded from the right.
   */
  private static byte[] rangeHash(long a, long b, SubtreeHashes hashes, MessageDigest md) {
    List<Subtree> parts = new ArrayList<>(Long.bitCount(b - a));
    decompose(a, b, parts);
    byte[][] read = new byte[parts.size()][];
    for (int i = 0; i < read.length; i++) {
      read[i] = read(hashes, parts.get(i));
    }
    byte[] r = read[read.length - 1];
    for (int i = read.length - 2; i >= 0; i--) {
      r = Hashing.node(md, read[i], r);
    }
    return r;
  }

  private static byte[] read(SubtreeHashes hashes, Subtree s) {
    return Objects.requireNonNull(hashes.hash(s.level(), s.index()),
        "the store returned no hash for " + s).toByteArray();
  }

  /** Appends the perfect subtrees that tile [a, b), largest first; a is aligned to the first. */
  private static void decompose(long a, long b, List<Subtree> out) {
    while (a < b) {
      int level = 63 - Long.numberOfLeadingZeros(b - a);
      out.add(new Subtree(level, a >> level));
      a += 1L << level;
    }
  }

  private static void checkSize(String name, long size) {
    if (size < 0) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, name + " must not be negative, got " + size);
    }
  }

  private static void checkIndex(long index, long size) {
    checkSize("size", size);
    if (index < 0 || index >= size) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "leaf index " + index + " is not below the tree size " + size);
    }
  }

  private static void checkSizes(long first, long second) {
    checkSize("first", first);
    if (second < first) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "the second tree size " + second + " is below the first " + first);
    }
  }

  private static KasComputeException inclusionFailed(long index, long size, String why) {
    return new KasComputeException(ErrorCode.INCLUSION_FAILED,
        "inclusion of leaf " + index + " in the tree of size " + size + " does not verify: " + why);
  }

  private static KasComputeException consistencyFailed(long first, long second, String why) {
    return new KasComputeException(ErrorCode.CONSISTENCY_FAILED,
        "consistency between tree sizes " + first + " and " + second + " does not verify: " + why);
  }
}
