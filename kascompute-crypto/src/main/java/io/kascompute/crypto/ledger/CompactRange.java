package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The right border of a growing RFC 9162 tree: the hashes of the perfect subtrees that tile its
 * leaves, one per set bit of the size, largest first (at most 63 hashes). It appends a leaf in
 * O(log n), gives the current root, and reports every perfect subtree an append completes, so
 * that a store can persist those hashes and build any proof later (see {@link SubtreeHashes}).
 *
 * <p>Mutable and not thread-safe: a log appends under its own lock. {@link #toBytes()} gives the
 * head row a store keeps: the size as 8 bytes big-endian, then the border hashes, largest subtree
 * first ({@code 8 + 32 * bitCount(size)} bytes).
 */
public final class CompactRange {
  private long size;
  // border[i] is the hash of the i-th subtree from the left; count == bitCount(size)
  private byte[][] border;
  private int count;
  private final MessageDigest md = Sha256Digest.newMessageDigest();

  private CompactRange(long size, byte[][] border, int count) {
    this.size = size;
    this.border = border;
    this.count = count;
  }

  /** The border of the empty tree. */
  public static CompactRange empty() {
    return new CompactRange(0, new byte[8][], 0);
  }

  /**
   * Reads a border written by {@link #toBytes()}.
   *
   * @throws KasComputeException {@link ErrorCode#WRONG_LENGTH} unless the bytes hold the size and
   *     exactly one hash per set bit of it; {@link ErrorCode#FIELD_OUT_OF_RANGE} for a negative
   *     size
   */
  public static CompactRange fromBytes(byte[] bytes) {
    if (bytes.length < 8) {
      throw new KasComputeException(ErrorCode.WRONG_LENGTH,
          "a compact range has at least 8 bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long size = b.getLong();
    if (size < 0) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "a compact range's size must be below 2^63, got " + Long.toUnsignedString(size));
    }
    int n = Long.bitCount(size);
    if (bytes.length != 8 + Hashing.HASH * n) {
      throw new KasComputeException(ErrorCode.WRONG_LENGTH, "a compact range of size " + size
          + " has " + (8 + Hashing.HASH * n) + " bytes, got " + bytes.length);
    }
    byte[][] border = new byte[Math.max(8, n)][];
    for (int i = 0; i < n; i++) {
      border[i] = new byte[Hashing.HASH];
      b.get(border[i]);
    }
    return new CompactRange(size, border, n);
  }

  /**
   * The border of the first {@code size} leaves of a log, read from its store: the subtrees of
   * {@link MerkleTree#rootReads(long)}.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for a negative size, or what
   *     {@code hashes} throws
   */
  public static CompactRange fromSubtrees(long size, SubtreeHashes hashes) {
    List<Subtree> reads = MerkleTree.rootReads(size);
    byte[][] border = new byte[Math.max(8, reads.size())][];
    for (int i = 0; i < reads.size(); i++) {
      Subtree s = reads.get(i);
      border[i] = hashes.hash(s.level(), s.index()).toByteArray();
    }
    return new CompactRange(size, border, reads.size());
  }

  /** The number of leaves appended so far. */
  public long size() {
    return size;
  }

  /** The root of the tree of the leaves appended so far. */
  public Sha256Digest root() {
    if (count == 0) {
      return MerkleTree.emptyRoot();
    }
    byte[] r = border[count - 1];
    for (int i = count - 2; i >= 0; i--) {
      r = Hashing.node(md, border[i], r);
    }
    return Sha256Digest.of(r);
  }

  /** The border hashes, largest subtree first (the subtrees of {@link MerkleTree#rootReads}). */
  public List<Sha256Digest> hashes() {
    List<Sha256Digest> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(Sha256Digest.of(border[i]));
    }
    return List.copyOf(out);
  }

  /**
   * Appends a leaf given by its leaf hash ({@link MerkleTree#leafHash(byte[])}).
   *
   * @throws IllegalStateException if the tree already has 2^63-1 leaves
   */
  public void append(Sha256Digest leafHash) {
    appendRaw(leafHash.toByteArray(), null);
  }

  /**
   * Appends a leaf given by its leaf hash and hands {@code sink} every perfect subtree this
   * completes: the leaf at level 0 and index {@code size()} (before the append), then each
   * subtree it closes, in increasing level. On average two hashes per append.
   *
   * @throws IllegalStateException if the tree already has 2^63-1 leaves
   */
  public void append(Sha256Digest leafHash, SubtreeSink sink) {
    appendRaw(leafHash.toByteArray(), Objects.requireNonNull(sink, "sink"));
  }

  /** Appends a leaf hash this range may keep. */
  void appendRaw(byte[] leafHash, SubtreeSink sink) {
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("the tree has 2^63-1 leaves, the most it can hold");
    }
    long index = size;
    byte[] h = leafHash;
    // the in-memory store takes the raw bytes: no digest object per subtree
    InMemorySubtreeHashes memory = sink instanceof InMemorySubtreeHashes m ? m : null;
    report(sink, memory, 0, index, h);
    int level = 0;
    while ((index & 1) == 1) {
      h = Hashing.node(md, border[--count], h);
      border[count] = null;
      index >>= 1;
      level++;
      report(sink, memory, level, index, h);
    }
    if (count == border.length) {
      border = Arrays.copyOf(border, count * 2);
    }
    border[count++] = h;
    size++;
  }

  private static void report(SubtreeSink sink, InMemorySubtreeHashes memory, int level,
      long index, byte[] hash) {
    if (memory != null) {
      memory.put(level, index, hash);
    } else if (sink != null) {
      sink.completed(level, index, Sha256Digest.of(hash));
    }
  }

  /** An independent copy of this border. */
  public CompactRange copy() {
    byte[][] b = new byte[border.length][];
    for (int i = 0; i < count; i++) {
      b[i] = border[i];
    }
    return new CompactRange(size, b, count);
  }

  /** The head row: the size as 8 bytes big-endian, then the border hashes, largest first. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(8 + Hashing.HASH * count);
    b.putLong(size);
    for (int i = 0; i < count; i++) {
      b.put(border[i]);
    }
    return b.array();
  }

  @Override
  public String toString() {
    return "CompactRange[size=" + size + ", root=" + root().hex() + "]";
  }
}
