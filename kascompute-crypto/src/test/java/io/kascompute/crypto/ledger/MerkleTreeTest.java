package io.kascompute.crypto.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The tree code against the literal RFC 9162 recursion, on random trees. */
class MerkleTreeTest {
  record Log(List<byte[]> leaves, CompactRange range, InMemorySubtreeHashes hashes) {}

  static Log log(int n, long seed) {
    Random r = new Random(seed);
    List<byte[]> leaves = new ArrayList<>();
    CompactRange range = CompactRange.empty();
    InMemorySubtreeHashes hashes = InMemorySubtreeHashes.create();
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[r.nextInt(40)];
      r.nextBytes(leaf);
      leaves.add(leaf);
      range.append(MerkleTree.leafHash(leaf), hashes);
    }
    return new Log(leaves, range, hashes);
  }

  static Sha256Digest flip(Sha256Digest d, int bit) {
    byte[] b = d.toByteArray();
    b[(bit >>> 3) % 32] ^= (byte) (1 << (bit & 7));
    return Sha256Digest.of(b);
  }

  static ErrorCode refusal(Runnable r) {
    try {
      r.run();
      return null;
    } catch (KasComputeException e) {
      return e.code();
    }
  }

  @Property(tries = 200)
  void everyPrefixRootMatchesTheRecursiveDefinition(
      @ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
    Log log = log(n, seed);
    assertThat(log.range().size()).isEqualTo(n);
    assertThat(log.range().root()).isEqualTo(ReferenceTree.mth(log.leaves()));
    assertThat(MerkleTree.root(log.leaves())).isEqualTo(ReferenceTree.mth(log.leaves()));
    for (int size = 0; size <= n; size += 1 + size / 8) {
      assertThat(MerkleTree.root(size, log.hashes()))
          .isEqualTo(ReferenceTree.mth(log.leaves().subList(0, size)));
      assertThat(CompactRange.fromSubtrees(size, log.hashes()).root())
          .isEqualTo(ReferenceTree.mth(log.leaves().subList(0, size)));
    }
  }

  @Property(tries = 300)
  void inclusionProofsAreRfcPathsAndOnlyTheTrueClaimVerifies(
      @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 0, max = 299) int sizeDraw,
      @ForAll @IntRange(min = 0, max = 299) int indexDraw,
      @ForAll @IntRange(min = 0, max = 255) int bit, @ForAll long seed) {
    // drawn inside their bounds rather than assumed: 1 <= size <= n and 0 <= i < size
    int size = 1 + sizeDraw % n;
    int i = indexDraw % size;
    Log log = log(n, seed);
    List<byte[]> prefix = log.leaves().subList(0, size);
    List<Subtree> reads = new ArrayList<>();
    List<Sha256Digest> proof = MerkleTree.inclusionProof(i, size, (l, x) -> {
      reads.add(new Subtree(l, x));
      return log.hashes().hash(l, x);
    });
    assertThat(proof).isEqualTo(ReferenceTree.path(i, prefix));
    assertThat(reads).isEqualTo(MerkleTree.inclusionReads(i, size));
    assertThat(reads.size()).isLessThanOrEqualTo(2 * (64 - Long.numberOfLeadingZeros(size)));
    Sha256Digest root = ReferenceTree.mth(prefix);
    Sha256Digest leaf = MerkleTree.leafHash(log.leaves().get(i));
    MerkleTree.verifyInclusion(i, size, leaf, proof, root);

    ErrorCode failed = ErrorCode.INCLUSION_FAILED;
    assertThat(refusal(() -> MerkleTree.verifyInclusion(i, size, flip(leaf, bit), proof, root)))
        .isEqualTo(failed);
    assertThat(refusal(() -> MerkleTree.verifyInclusion(i, size, leaf, proof, flip(root, bit))))
        .isEqualTo(failed);
    if (!proof.isEmpty()) {
      List<Sha256Digest> tampered = new ArrayList<>(proof);
      int at = bit % proof.size();
      tampered.set(at, flip(proof.get(at), bit));
      assertThat(refusal(() -> MerkleTree.verifyInclusion(i, size, leaf, tampered, root)))
          .isEqualTo(failed);
      List<Sha256Digest> shorter = proof.subList(0, proof.size() - 1);
      assertThat(refusal(() -> MerkleTree.verifyInclusion(i, size, leaf, shorter, root)))
          .isEqualTo(failed);
    }
    List<Sha256Digest> longer = new ArrayList<>(proof);
    longer.add(root);
    assertThat(refusal(() -> MerkleTree.verifyInclusion(i, size, leaf, longer, root)))
        .isEqualTo(failed);
    int otherIndex = (i + 1 + bit % size) % size;
    if (otherIndex != i && !java.util.Arrays.equals(log.leaves().get(otherIndex), log.leaves().get(i))) {
      assertThat(refusal(() -> MerkleTree.verifyInclusion(otherIndex, size, leaf, proof, root)))
          .isEqualTo(failed);
    }
    // A wrong size fails unless its path has the same shape (then the verifier cannot tell: the
    // size must come from the same signed checkpoint as the root).
    for (int otherSize = i + 1; otherSize <= 2 * size + 2; otherSize++) {
      if (otherSize != size) {
        int s = otherSize;
        boolean sameShape = ReferenceTree.pathShape(i, s).equals(ReferenceTree.pathShape(i, size));
        assertThat(refusal(() -> MerkleTree.verifyInclusion(i, s, leaf, proof, root)))
            .as("size %d for a proof in size %d", s, size)
            .isEqualTo(sameShape ? null : failed);
      }
    }
  }

  @Property(tries = 300)
  void consistencyProofsAreRfcProofsAndOnlyTheTrueClaimVerifies(
      @ForAll @IntRange(min = 0, max = 300) int first, @ForAll @IntRange(min = 0, max = 300) int second,
      @ForAll @IntRange(min = 0, max = 255) int bit, @ForAll long seed) {
    Assume.that(first <= second);
    Log log = log(second, seed);
    List<Subtree> reads = new ArrayList<>();
    List<Sha256Digest> proof = MerkleTree.consistencyProof(first, second, (l, x) -> {
      reads.add(new Subtree(l, x));
      return log.hashes().hash(l, x);
    });
    assertThat(proof).isEqualTo(ReferenceTree.proof(first, log.leaves()));
    assertThat(reads).isEqualTo(MerkleTree.consistencyReads(first, second));
    Sha256Digest r1 = ReferenceTree.mth(log.leaves().subList(0, first));
    Sha256Digest r2 = ReferenceTree.mth(log.leaves());
    MerkleTree.verifyConsistency(first, second, r1, r2, proof);

    ErrorCode failed = ErrorCode.CONSISTENCY_FAILED;
    assertThat(refusal(() -> MerkleTree.verifyConsistency(first, second, flip(r1, bit), r2, proof)))
        .isEqualTo(failed);
    if (first > 0) {
      assertThat(refusal(() -> MerkleTree.verifyConsistency(first, second, r1, flip(r2, bit), proof)))
          .isEqualTo(failed);
    }
    if (!proof.isEmpty()) {
      List<Sha256Digest> tampered = new ArrayList<>(proof);
      int at = bit % proof.size();
      tampered.set(at, flip(proof.get(at), bit));
      assertThat(refusal(() -> MerkleTree.verifyConsistency(first, second, r1, r2, tampered)))
          .isEqualTo(failed);
      assertThat(refusal(() -> MerkleTree.verifyConsistency(
          first, second, r1, r2, proof.subList(0, proof.size() - 1)))).isEqualTo(failed);
    }
    List<Sha256Digest> longer = new ArrayList<>(proof);
    longer.add(r2);
    assertThat(refusal(() -> MerkleTree.verifyConsistency(first, second, r1, r2, longer)))
        .isEqualTo(failed);
    if (first > 0 && first < second) {
      Sha256Digest other = ReferenceTree.mth(log.leaves().subList(0, first - 1));
      assertThat(refusal(() -> MerkleTree.verifyConsistency(first, second, other, r2, proof)))
          .isEqualTo(failed);
      // Wrong sizes fail unless the proof has the same shape for them.
      String shape = ReferenceTree.proofShape(first, second);
      for (int f = 1; f < second; f++) {
        if (f != first) {
          int ff = f;
          assertThat(refusal(() -> MerkleTree.verifyConsistency(ff, second, r1, r2, proof)))
              .as("first %d for a proof of %d..%d", f, first, second)
              .isEqualTo(ReferenceTree.proofShape(f, second).equals(shape) ? null : failed);
        }
      }
      for (int s = first + 1; s <= 2 * second + 2; s++) {
        if (s != second) {
          int ss = s;
          assertThat(refusal(() -> MerkleTree.verifyConsistency(first, ss, r1, r2, proof)))
              .as("second %d for a proof of %d..%d", s, first, second)
              .isEqualTo(ReferenceTree.proofShape(first, s).equals(shape) ? null : failed);
        }
      }
    }
  }

  @Property(tries = 100)
  void appendReportsEachCompletedSubtreeWithItsRecursiveHash(
      @ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
    Log log = log(n, seed);
    CompactRange range = CompactRange.empty();
    List<Subtree> completed = new ArrayList<>();
    for (byte[] leaf : log.leaves()) {
      range.append(MerkleTree.leafHash(leaf), (level, index, hash) -> {
        Subtree s = new Subtree(level, index);
        completed.add(s);
        int from = (int) s.firstLeaf();
        assertThat(hash).isEqualTo(
            ReferenceTree.mth(log.leaves().subList(from, from + (int) s.leafCount())));
      });
    }
    long expected = 0;
    for (int level = 0; (1L << level) <= n; level++) {
      expected += n >> level;
    }
    assertThat(completed).hasSize((int) expected).doesNotHaveDuplicates();
    assertThat(completed.size()).isLessThan(2 * n);
  }

  @Property(tries = 100)
  void theCompactRangeSurvivesItsBytes(@ForAll @IntRange(min = 0, max = 200) int n, @ForAll long seed) {
    Log log = log(n, seed);
    byte[] bytes = log.range().toBytes();
    assertThat(bytes).hasSize(8 + 32 * Long.bitCount(n));
    CompactRange back = CompactRange.fromBytes(bytes);
    assertThat(back.size()).isEqualTo(n);
    assertThat(back.root()).isEqualTo(log.range().root());
    assertThat(back.hashes()).isEqualTo(log.range().hashes());
    assertThat(CompactRange.fromSubtrees(n, log.hashes()).toBytes()).isEqualTo(bytes);
    CompactRange copy = back.copy();
    byte[] extra = {1, 2, 3};
    back.append(MerkleTree.leafHash(extra));
    List<byte[]> more = new ArrayList<>(log.leaves());
    more.add(extra);
    assertThat(back.root()).isEqualTo(ReferenceTree.mth(more));
    assertThat(copy.root()).isEqualTo(log.range().root());
  }

  @Test
  void malformedCompactRangesAreRefused() {
    assertThatThrownBy(() -> CompactRange.fromBytes(new byte[7]))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.WRONG_LENGTH));
    byte[] three = new byte[8 + 32];
    three[7] = 3; // size 3 needs two hashes
    assertThatThrownBy(() -> CompactRange.fromBytes(three))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.WRONG_LENGTH));
    byte[] negative = new byte[8];
    negative[0] = (byte) 0x80;
    assertThatThrownBy(() -> CompactRange.fromBytes(negative))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    assertThat(CompactRange.fromBytes(new byte[8]).root()).isEqualTo(MerkleTree.emptyRoot());
  }

  @Test
  void argumentsOutsideTheTreeAreRefused() {
    Log log = log(5, 1);
    assertThatThrownBy(() -> MerkleTree.inclusionProof(5, 5, log.hashes()))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    assertThatThrownBy(() -> MerkleTree.inclusionProof(-1, 5, log.hashes()))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    assertThatThrownBy(() -> MerkleTree.consistencyProof(4, 3, log.hashes()))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    assertThatThrownBy(() -> MerkleTree.verifyInclusion(3, 3, MerkleTree.emptyRoot(), List.of(),
        MerkleTree.emptyRoot())).isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    // a proof for a size the store has not reached reads a subtree it does not hold
    assertThatThrownBy(() -> MerkleTree.inclusionProof(0, 6, log.hashes()))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    assertThatThrownBy(() -> MerkleTree.root(-1, log.hashes()))
        .isInstanceOfSatisfying(KasComputeException.class, thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
  }

  @Test
  void theEmptyTreeIsConsistentWithEveryTreeOnlyWithItsOwnRoot() {
    Log log = log(4, 2);
    MerkleTree.verifyConsistency(0, 4, MerkleTree.emptyRoot(), log.range().root(), List.of());
    assertThat(refusal(() -> MerkleTree.verifyConsistency(0, 4, log.range().root(),
        log.range().root(), List.of()))).isEqualTo(ErrorCode.CONSISTENCY_FAILED);
    assertThat(refusal(() -> MerkleTree.verifyConsistency(0, 4, MerkleTree.emptyRoot(),
        log.range().root(), List.of(log.range().root())))).isEqualTo(ErrorCode.CONSISTENCY_FAILED);
    assertThat(refusal(() -> MerkleTree.verifyConsistency(2, 4, MerkleTree.root(2, log.hashes()),
        log.range().root(), List.of()))).isEqualTo(ErrorCode.CONSISTENCY_FAILED);
  }
}
