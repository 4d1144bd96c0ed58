package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.wire.Fields;
import io.kascompute.crypto.NodePublicKey;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.NoteVerifierKey;
import io.kascompute.crypto.ledger.SignedNote;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kascompute ledger fetch|verify-inclusion|verify-consistency|anchor}: the auditor's tools
 * for a coordinator's verifiable ledger of accepted proofs ({@code docs/spec/ledger.md}).
 */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Verifiable-ledger tools: download a ledger, check single proofs, print the"
        + " anchor commitment of a checkpoint. Audit a whole export with 'kascompute audit'.",
    subcommands = {LedgerCommand.Fetch.class, LedgerCommand.VerifyInclusion.class,
        LedgerCommand.VerifyConsistency.class, LedgerCommand.Anchor.class})
final class LedgerCommand implements Runnable {
  static final String EXIT_CODES = "Exit codes: 0 all good, 1 a proof, root or signature fails,"
      + " 2 unreadable input or usage error, 3 internal failure.";

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw LedgerCli.usage(spec,
        "missing subcommand: fetch, verify-inclusion, verify-consistency or anchor");
  }

  /** {@code kascompute ledger fetch --url U [--out DIR]}. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Downloads a coordinator's ledger: GET /v1/ledger/key into DIR/key.json, GET"
            + " /v1/ledger/checkpoint into DIR/checkpoint (checked against that key), and the"
            + " entries the checkpoint covers, 1000 per GET /v1/ledger/entries?start=S&end=E,"
            + " into DIR/entries.jsonl (one leaf per line).",
        "The key comes from the coordinator itself: audit with a verifier key you obtained"
            + " independently.",
        EXIT_CODES
      })
  static final class Fetch implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
        description = "The coordinator's base URL, e.g. http://127.0.0.1:8080.")
    private String url;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
        description = "The directory to write into (created if missing; default: the current one).")
    private Path out;

    @Override
    public Integer call() {
      return LedgerCli.run(spec, () -> {
        LedgerCli.Http http = new LedgerCli.Http(url);
        JsonObject key = http.data("/v1/ledger/key");
        String origin = Fields.string(key, "origin");
        NoteVerifierKey vkey = NoteVerifierKey.parse(Fields.string(key, "vkey"));
        NodePublicKey pk = NodePublicKey.fromHex(Fields.string(key, "public_key_hex"));
        if (!vkey.keyName().equals(origin) || !vkey.publicKey().equals(pk)) {
          throw new KasComputeException(ErrorCode.MALFORMED_NOTE, "the key endpoint's vkey "
              + vkey + " is not origin " + origin + " with key " + pk.hex());
        }
        String note = new String(http.get("/v1/ledger/checkpoint", SignedNote.MAX_NOTE_BYTES),
            StandardCharsets.UTF_8);
        Checkpoint checkpoint = Checkpoint.open(note, vkey);

        Files.createDirectories(out);
        JsonWriter w = new JsonWriter(256);
        w.raw('{').key("origin").string(origin);
        w.raw(',').key("public_key_hex").string(vkey.publicKey().hex());
        w.raw(',').key("vkey").string(vkey.vkey()).raw("}\n");
        Files.write(out.resolve("key.json"), w.toByteArray());
        Files.writeString(out.resolve("checkpoint"), note, StandardCharsets.UTF_8);

        Path part = out.resolve("entries.jsonl.part");
        try (OutputStream o = Files.newOutputStream(part)) {
          long next = 0;
          while (next < checkpoint.size()) {
            long end = Math.min(checkpoint.size(), next + LedgerCli.ENTRIES_PER_CALL);
            byte[] body = http.get("/v1/ledger/entries?start=" + next + "&end=" + end,
                LedgerCli.ENTRIES_PER_CALL * (LedgerEntry.MAX_LEAF_BYTES + 1));
            long lines = writeLines(body, o, end - next, next);
            if (lines == 0) {
              throw new IOException("GET /v1/ledger/entries?start=" + next + " returned no entry,"
                  + " but the checkpoint covers " + checkpoint.size());
            }
            next += lines;
          }
        }
        Files.move(part, out.resolve("entries.jsonl"), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("fetched " + checkpoint.size() + " entries of " + origin + " (root "
            + checkpoint.root().hex() + ") into " + out);
        pw.flush();
        return LedgerCli.OK;
      });
    }

    /** Writes the body's lines (each followed by LF); returns how many, at most {@code max}. */
    private static long writeLines(byte[] body, OutputStream o, long max, long start)
        throws IOException {
      long count = 0;
      int from = 0;
      while (from < body.length) {
        int nl = from;
        while (nl < body.length && body[nl] != '\n') {
          nl++;
        }
        int len = nl - from;
        if (len > LedgerEntry.MAX_LEAF_BYTES) {
          throw new IOException("entry " + (start + count) + " is longer than "
              + LedgerEntry.MAX_LEAF_BYTES + " bytes");
        }
        if (++count > max) {
          throw new IOException("GET /v1/ledger/entries?start=" + start + " returned more than the "
              + max + " entries asked for");
        }
        o.write(body, from, len);
        o.write('\n');
        from = nl + 1;
      }
      return count;
    }
  }

  /** Where a checkpoint or root comes from. */
  static final class RootSource {
    @Option(names = "--root", paramLabel = "HEX", description = "The tree's root hash.")
    String root;

    @Option(names = "--checkpoint", paramLabel = "FILE",
        description = "A signed checkpoint (needs --vkey); gives the size and the root.")
    String checkpoint;
  }

  /** Where proof hashes come from. */
  static final class ProofSource {
    @Option(names = "--proof", paramLabel = "HEX[,HEX...]",
        description = "The proof hashes, comma-separated (an empty string for an empty proof).")
    String hashes;

    @Option(names = "--proof-file", paramLabel = "FILE",
        description = "A file with the proof: the endpoint's JSON answer, or hex hashes.")
    String file;

    @Option(names = "--url", paramLabel = "URL",
        description = "Ask the coordinator at URL for the proof.")
    String url;

    List<Sha256Digest> read(String endpoint) throws IOException {
      if (hashes != null) {
        return LedgerCli.proofHashes(hashes);
      }
      if (file != null) {
        return LedgerCli.proofHashes(new String(LedgerCli.readFile(file, 1 << 20),
            StandardCharsets.UTF_8));
      }
      return new LedgerCli.Http(url).proof(endpoint);
    }
  }

  /** {@code kascompute ledger verify-inclusion}. */
  @Command(
      name = "verify-inclusion",
      mixinStandardHelpOptions = true,
      description = {
        "Verifies that a leaf is entry INDEX of the ledger tree of SIZE entries with the given"
            + " root (RFC 9162 inclusion proof).",
        "The leaf: --leaf FILE (the leaf line), --entries FILE (line INDEX of an export) or"
            + " --leaf-hash HEX. The root: --root HEX with --size, or --checkpoint with --vkey."
            + " The proof: --proof, --proof-file, or --url to ask the coordinator.",
        EXIT_CODES
      })
  static final class VerifyInclusion implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--index", required = true, paramLabel = "I", description = "The entry's index.")
    private long index;

    @Option(names = "--size", paramLabel = "N",
        description = "The tree size (default: the checkpoint's).")
    private Optional<Long> size;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Leaf leaf;

    static final class Leaf {
      @Option(names = "--leaf", paramLabel = "FILE",
          description = "A file holding the leaf line (one trailing newline is ignored).")
      String file;

      @Option(names = "--entries", paramLabel = "FILE",
          description = "A ledger export; its line INDEX is the leaf.")
      String entries;

      @Option(names = "--leaf-hash", paramLabel = "HEX", description = "The leaf hash itself.")
      String hash;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private RootSource root;

    @Option(names = "--vkey", paramLabel = "VKEY",
        description = "The coordinator's verifier key, or a file holding it (key.json works).")
    private Optional<String> vkey;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ProofSource proof;

    @Override
    public Integer call() {
      return LedgerCli.run(spec, () -> {
        long n;
        Sha256Digest r;
        if (root.checkpoint != null) {
          Checkpoint c = LedgerCli.openCheckpoint(root.checkpoint, LedgerCli.verifierKey(
              vkey.orElseThrow(() -> LedgerCli.usage(spec, "--checkpoint needs --vkey"))));
          if (size.isPresent() && size.get() != c.size()) {
            throw LedgerCli.usage(spec, "--size " + size.get()
                + " is not the checkpoint's size " + c.size());
          }
          n = c.size();
          r = c.root();
        } else {
          n = size.orElseThrow(() -> LedgerCli.usage(spec, "--root needs --size"));
          r = Sha256Digest.fromHex(root.root);
        }
        Sha256Digest leafHash = leafHash();
        List<Sha256Digest> hashes = proof.read(
            "/v1/ledger/proof/inclusion?index=" + index + "&size=" + n);
        MerkleTree.verifyInclusion(index, n, leafHash, hashes, r);
        PrintWriter out = spec.commandLine().getOut();
        out.println("ok: leaf " + index + " (" + leafHash.hex() + ") is in the tree of size " + n
            + " with root " + r.hex());
        out.flush();
        return LedgerCli.OK;
      });
    }

    private Sha256Digest leafHash() throws IOException {
      if (leaf.hash != null) {
        return Sha256Digest.fromHex(leaf.hash);
      }
      if (leaf.file != null) {
        byte[] b = LedgerCli.readFile(leaf.file, LedgerEntry.MAX_LEAF_BYTES + 1);
        int len = b.length > 0 && b[b.length - 1] == '\n' ? b.length - 1 : b.length;
        return MerkleTree.leafHash(b, 0, len);
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(leaf.entries)),
          1 << 16)) {
        long line = 0;
        int b;
        while (line < index && (b = in.read()) != -1) {
          if (b == '\n') {
            line++;
          }
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        boolean any = false;
        while ((b = in.read()) != -1 && b != '\n') {
          any = true;
          if (bytes.size() > LedgerEntry.MAX_LEAF_BYTES) {
            throw new IOException("line " + index + " of " + leaf.entries + " is longer than "
                + LedgerEntry.MAX_LEAF_BYTES + " bytes");
          }
          bytes.write(b);
        }
        if (line < index || !any && b == -1) {
          throw new IOException(leaf.entries + " has no line " + index);
        }
        return MerkleTree.leafHash(bytes.toByteArray());
      }
    }
  }

  /** {@code kascompute ledger verify-consistency}. */
  @Command(
      name = "verify-consistency",
      mixinStandardHelpOptions = true,
      description = {
        "Verifies that the ledger tree of the first checkpoint is a prefix of the tree of the"
            + " second (RFC 9162 consistency proof): --first-checkpoint and --second-checkpoint"
            + " with --vkey, or sizes and roots. The proof: --proof, --proof-file, or --url.",
        EXIT_CODES
      })
  static final class VerifyConsistency implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--first-checkpoint", paramLabel = "FILE", description = "The older checkpoint.")
    private String firstCheckpoint;

    @Option(names = "--first", paramLabel = "M", description = "The older tree's size.")
    private Optional<Long> first;

    @Option(names = "--first-root", paramLabel = "HEX", description = "The older tree's root.")
    private String firstRoot;

    @Option(names = "--second-checkpoint", paramLabel = "FILE", description = "The newer checkpoint.")
    private String secondCheckpoint;

    @Option(names = "--second", paramLabel = "N", description = "The newer tree's size.")
    private Optional<Long> second;

    @Option(names = "--second-root", paramLabel = "HEX", description = "The newer tree's root.")
    private String secondRoot;

    @Option(names = "--vkey", paramLabel = "VKEY",
        description = "The coordinator's verifier key, or a file holding it (key.json works).")
    private Optional<String> vkey;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ProofSource proof;

    @Override
    public Integer call() {
      return LedgerCli.run(spec, () -> {
        Tree a = tree("first", firstCheckpoint, first, firstRoot);
        Tree b = tree("second", secondCheckpoint, second, secondRoot);
        List<Sha256Digest> hashes = proof.read(
            "/v1/ledger/proof/consistency?first=" + a.size() + "&second=" + b.size());
        MerkleTree.verifyConsistency(a.size(), b.size(), a.root(), b.root(), hashes);
        PrintWriter out = spec.commandLine().getOut();
        out.println("ok: the tree of size " + a.size() + " (root " + a.root().hex()
            + ") is a prefix of the tree of size " + b.size() + " (root " + b.root().hex() + ")");
        out.flush();
        return LedgerCli.OK;
      });
    }

    /** A tree's size and root. */
    private record Tree(long size, Sha256Digest root) {}

    private Tree tree(String which, String file, Optional<Long> size, String root)
        throws IOException {
      if (file != null) {
        if (size.isPresent() || root != null) {
          throw LedgerCli.usage(spec, "give --" + which + "-checkpoint or --" + which + " with --"
              + which + "-root, not both");
        }
        Checkpoint c = LedgerCli.openCheckpoint(file, LedgerCli.verifierKey(vkey.orElseThrow(
            () -> LedgerCli.usage(spec, "--" + which + "-checkpoint needs --vkey"))));
        return new Tree(c.size(), c.root());
      }
      if (size.isEmpty() || root == null) {
        throw LedgerCli.usage(spec, "give --" + which + "-checkpoint, or --" + which + " and --"
            + which + "-root");
      }
      return new Tree(size.get(), Sha256Digest.fromHex(root));
    }
  }

  /** {@code kascompute ledger anchor --checkpoint CP [--vkey VKEY]}. */
  @Command(
      name = "anchor",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the 76-byte anchor commitment of a checkpoint in hex: 'KCL', version 01,"
            + " SHA-256 of the origin, the tree size (8 bytes big-endian), the root. With --vkey"
            + " the checkpoint's signature is checked first.",
        EXIT_CODES
      })
  static final class Anchor implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
        description = "The signed checkpoint.")
    private String checkpoint;

    @Option(names = "--vkey", paramLabel = "VKEY",
        description = "The coordinator's verifier key, or a file holding it (key.json works).")
    private Optional<String> vkey;

    @Override
    public Integer call() {
      return LedgerCli.run(spec, () -> {
        Checkpoint c = vkey.isPresent()
            ? LedgerCli.openCheckpoint(checkpoint, LedgerCli.verifierKey(vkey.get()))
            : LedgerCli.unverifiedCheckpoint(checkpoint);
        PrintWriter out = spec.commandLine().getOut();
        out.println(c.anchorCommitmentHex());
        out.flush();
        return LedgerCli.OK;
      });
    }
  }
}
