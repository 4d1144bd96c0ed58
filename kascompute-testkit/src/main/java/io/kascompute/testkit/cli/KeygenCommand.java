package io.kascompute.testkit.cli;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.testkit.cli.VerifyCommand.Exits;
import io.kascompute.testkit.cli.VerifyCommand.Unreadable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kascompute keygen [--seed-hex HEX] [--out FILE [--force]]}: makes a node key pair. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generates an Ed25519 node key (or derives it from --seed-hex) and writes one JSON line"
          + " {\"secret_key_hex\",\"public_key_hex\",\"node_id\"}; secret_key_hex is the 32-byte"
          + " RFC 8032 seed, node_id the SDK's id kc_ + first 16 hex characters of the key (a"
          + " node may use any other id).",
      "With --out FILE the line goes into FILE, created with mode 0600 (owner read and write"
          + " only, from its creation on) and never overwritten without --force; stdout then gets"
          + " the line without secret_key_hex. Without --out the secret goes to stdout: do not"
          + " redirect it into a file other users can read.",
      "A malformed seed is a usage error (exit 2)."
    })
final class KeygenCommand implements Callable<Integer> {
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--seed-hex", paramLabel = "HEX", description = "A 32-byte seed as 64 hex characters.")
  private Optional<String> seedHex;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the key pair into FILE (mode 0600) instead of stdout.")
  private Optional<Path> out;

  @Option(names = "--force", description = "Replace FILE of --out if it exists.")
  private boolean force;

  @Override
  public Integer call() {
    return Exits.run(spec.commandLine().getErr(), () -> {
      NodeKeyPair keys = seedHex.map(NodeKeyPair::fromSeedHex).orElseGet(NodeKeyPair::generate);
      PrintStream stdout = System.out;
      if (out.isPresent()) {
        writeSecret(out.get(), json(keys, true));
        stdout.write(json(keys, false));
      } else {
        stdout.write(json(keys, true));
      }
      stdout.flush();
      return Exits.OK;
    });
  }

  private static byte[] json(NodeKeyPair keys, boolean withSecret) {
    JsonWriter w = new JsonWriter(200);
    w.raw('{');
    if (withSecret) {
      w.key("secret_key_hex").string(keys.exportSecretSeedHex()).raw(',');
    }
    w.key("public_key_hex").string(keys.publicKey().hex());
    w.raw(',').key("node_id").string(keys.nodeId().value()).raw("}\n");
    return w.toByteArray();
  }

  /**
   * Writes {@code bytes} into a file created with mode 0600 (on POSIX file systems): a new {@code
   * file} directly, or with {@code --force} a new file beside it that then replaces it, so that no
   * moment exists at which the secret sits in a file with wider permissions.
   */
  private void writeSecret(Path file, byte[] bytes) throws IOException {
    boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews()
        .contains("posix");
    FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {OWNER_ONLY} : new FileAttribute<?>[0];
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
      throw new Unreadable("refusing to overwrite " + file + ": it exists (use --force)");
    }
    Path target = force ? sibling(file) : file;
    try (OutputStream o = Channels.newOutputStream(Files.newByteChannel(target,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs))) {
      o.write(bytes);
    } catch (FileAlreadyExistsException e) {
      throw new Unreadable("refusing to overwrite " + file + ": it exists (use --force)");
    } catch (IOException e) {
      throw new Unreadable("cannot write " + file + ": " + Exits.reason(e));
    }
    if (force) {
      try {
        Files.move(target, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(target);
        throw new Unreadable("cannot replace " + file + ": " + Exits.reason(e));
      }
    }
  }

  private static Path sibling(Path file) {
    Path abs = file.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + ".keygen-" + ProcessHandle.current().pid());
  }
}
