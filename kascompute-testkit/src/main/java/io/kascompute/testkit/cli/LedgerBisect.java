package io.kascompute.testkit.cli;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.InMemorySubtreeHashes;
import io.kascompute.crypto.ledger.MerkleTree;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the first entry at which an export departs from the log a checkpoint signs, when their
 * roots differ: a prefix of the export is a prefix of the log exactly when the coordinator's
 * consistency proof from that prefix's size to the checkpoint's verifies against the prefix's
 * root, so a binary search over prefix sizes, one proof per step, names the entry. The coordinator
 * cannot mislead it: the proofs are checked against the signed checkpoint.
 *
 * <p>Memory: the export's leaf hashes go to a temporary file (32 bytes per entry); in memory stay
 * only the hashes of completed subtrees of 1024 leaves and more (about 64 bytes per 1024 entries).
 */
final class LedgerBisect {
  private static final int LOW_LEVELS = 10;

  private LedgerBisect() {}

  /**
   * The index of the first entry of {@code export} that is not the log's, which is the export's
   * length if all of it is a prefix of the log; {@code entries} is how many lines to read (at most
   * the checkpoint's size).
   */
  static long firstDeparture(Path export, long entries, Checkpoint checkpoint, LedgerCli.Http http)
      throws IOException {
    Path leaves = Files.createTempFile("kascompute-audit-", ".leaves");
    try (FileChannel file = FileChannel.open(leaves, StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
      InMemorySubtreeHashes high = InMemorySubtreeHashes.create();
      long count = hashLeaves(export, entries, file, high);
      Subtrees subtrees = new Subtrees(file, high);
      long good = 0;
      long bad = count;
      if (isPrefix(count, subtrees, checkpoint, http)) {
        return count;
      }
      while (bad - good > 1) {
        long mid = good + (bad - good) / 2;
        if (isPrefix(mid, subtrees, checkpoint, http)) {
          good = mid;
        } else {
          bad = mid;
        }
      }
      return bad - 1;
    }
  }

  private static boolean isPrefix(long m, Subtrees subtrees, Checkpoint checkpoint,
      LedgerCli.Http http) throws IOException {
    if (m == 0) {
      return true;
    }
    Sha256Digest root;
    try {
      root = MerkleTree.root(m, subtrees);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (m == checkpoint.size()) {
      return root.equals(checkpoint.root());
    }
    List<Sha256Digest> proof = http.proof(
        "/v1/ledger/proof/consistency?first=" + m + "&second=" + checkpoint.size());
    try {
      MerkleTree.verifyConsistency(m, checkpoint.size(), root, checkpoint.root(), proof);
      return true;
    } catch (KasComputeException e) {
      return false;
    }
  }

  /** Writes the first {@code entries} lines' leaf hashes to {@code file}; returns their count. */
  private static long hashLeaves(Path export, long entries, FileChannel file,
      InMemorySubtreeHashes high) throws IOException {
    CompactRange range = CompactRange.empty();
    MessageDigest md = Sha256Digest.newMessageDigest();
    ByteBuffer out = ByteBuffer.allocate(32 * 1024);
    long count = 0;
    boolean inLine = false;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(export), 1 << 16)) {
      byte[] chunk = new byte[1 << 16];
      int n;
      while (count < entries && (n = in.read(chunk)) != -1) {
        int start = 0;
        for (int i = 0; i < n && count < entries; i++) {
          if (!inLine) {
            md.reset();
            md.update((byte) 0);
            inLine = true;
          }
          if (chunk[i] == '\n') {
            md.update(chunk, start, i - start);
            count = leaf(md.digest(), count, range, high, out, file);
            inLine = false;
            start = i + 1;
          }
        }
        if (inLine && count < entries) {
          md.update(chunk, start, n - start);
        }
      }
      if (inLine && count < entries) {
        count = leaf(md.digest(), count, range, high, out, file);
      }
    }
    out.flip();
    while (out.hasRemaining()) {
      file.write(out);
    }
    return count;
  }

  private static long leaf(byte[] hash, long count, CompactRange range,
      InMemorySubtreeHashes high, ByteBuffer out, FileChannel file) throws IOException {
    if (!out.hasRemaining()) {
      out.flip();
      while (out.hasRemaining()) {
        file.write(out);
      }
      out.clear();
    }
    out.put(hash);
    range.append(Sha256Digest.of(hash), (level, index, h) -> {
      if (level >= LOW_LEVELS) {
        high.completed(level - LOW_LEVELS, index, h);
      }
    });
    return count + 1;
  }

  /** Perfect subtrees: from memory at level 10 and up, from the leaf file below. */
  private record Subtrees(FileChannel file, InMemorySubtreeHashes high)
      implements io.kascompute.crypto.ledger.SubtreeHashes {
    @Override
    public Sha256Digest hash(int level, long index) {
      if (level >= LOW_LEVELS) {
        return high.hash(level - LOW_LEVELS, index);
      }
      int n = 1 << level;
      ByteBuffer b = ByteBuffer.allocate(32 * n);
      try {
        long at = index * n * 32;
        while (b.hasRemaining()) {
          if (file.read(b, at + b.position()) < 0) {
            throw new IOException("the leaf file ends before subtree " + level + "/" + index);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      byte[][] nodes = new byte[n][];
      for (int i = 0; i < n; i++) {
        nodes[i] = Arrays.copyOfRange(b.array(), 32 * i, 32 * i + 32);
      }
      for (int width = n; width > 1; width /= 2) {
        for (int i = 0; i < width / 2; i++) {
          nodes[i] = MerkleTree.nodeHash(Sha256Digest.of(nodes[2 * i]),
              Sha256Digest.of(nodes[2 * i + 1])).toByteArray();
        }
      }
      return Sha256Digest.of(nodes[0]);
    }
  }
}
