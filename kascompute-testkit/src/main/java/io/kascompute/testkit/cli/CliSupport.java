package io.kascompute.testkit.cli;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.Fields;
import io.kascompute.crypto.NodeKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What every subcommand shares: exit codes, reading a {@code FILE|-} argument, and turning a
 * {@link KasComputeException} into one line {@code error: <code>: <message>} on stderr.
 */
public final class CliSupport {
  /** Success. */
  public static final int OK = 0;
  /** An unexpected failure (a bug, or the environment). */
  public static final int FAILURE = 1;
  /** Bad input: malformed, refused or unreadable. */
  public static final int BAD_INPUT = 2;

  private CliSupport() {}

  /**
   * Runs {@code body} and returns its exit code; a {@link KasComputeException} becomes a one-line
   * error on the command's stderr and {@link #BAD_INPUT}, an I/O failure likewise with code {@code
   * io}.
   */
  public static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.call();
    } catch (KasComputeException e) {
      err.println("error: " + e.code().wireName() + ": " + oneLine(e.getMessage()));
      err.flush();
      return BAD_INPUT;
    } catch (IOException | UncheckedIOException e) {
      err.println("error: io: " + oneLine(String.valueOf(e.getMessage())));
      err.flush();
      return BAD_INPUT;
    } catch (Exception e) {
      err.println("error: internal: " + oneLine(String.valueOf(e)));
      err.flush();
      return FAILURE;
    }
  }

  /** Reads all bytes of {@code file}, or of stdin when it is {@code "-"}. */
  public static byte[] readInput(String file) throws IOException {
    if ("-".equals(file)) {
      InputStream in = System.in;
      return in.readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** Opens {@code file} for streaming, or stdin (which closing leaves open) when it is {@code "-"}. */
  public static InputStream openInput(String file) throws IOException {
    if ("-".equals(file)) {
      return new java.io.FilterInputStream(System.in) {
        @Override
        public void close() {}
      };
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a node's secret key from {@code file}: either the 64 hex digits of its seed, or the
   * JSON object that {@code kascompute keygen} prints (its {@code secret_key_hex} is used).
   * Surrounding whitespace is ignored.
   *
   * @throws KasComputeException {@code invalid_secret_key}, or a JSON reading code such as {@code
   *     malformed_json} or {@code missing_field}, if the file holds no usable key
   * @throws IOException if the file cannot be read
   */
  public static NodeKeyPair readSecretKeyFile(String file) throws IOException {
    String text = new String(readInput(file), StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      text = Fields.string(Fields.object(StrictJsonReader.withDefaults().read(text), "key file"),
          "secret_key_hex");
    }
    try {
      return NodeKeyPair.fromSeedHex(text);
    } catch (KasComputeException e) {
      throw new KasComputeException(e.code(), "key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}
