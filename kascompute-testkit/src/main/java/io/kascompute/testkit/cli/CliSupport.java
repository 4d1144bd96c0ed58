package io.kascompute.testkit.cli;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.Fields;
import io.kascompute.crypto.NodeKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What every subcommand shares: the exit codes, reading a {@code FILE|-} argument, and turning a
 * failure into one line {@code error: <what>: <message>} on stderr that names the file or address
 * and never an exception class (a stack trace follows only with {@code --log-level debug}).
 */
final class CliSupport {
  /** Success. */
  public static final int OK = 0;
  /** The input was read, and something in it is invalid (or a check of the outcome failed). */
  public static final int FAILURE = 1;
  /** Unreadable input or a usage error: a missing file, a bad option, an unreachable address. */
  public static final int BAD_INPUT = 2;
  /** An internal failure: a bug, or the environment failing under the tool. */
  public static final int INTERNAL = 3;

  /** The exit-code table every command's {@code --help} ends with. */
  static final String EXIT_CODES = "Exit codes: 0 success; 1 the input was read and something in"
      + " it is invalid; 2 unreadable input or usage error (a missing file, a bad option, an"
      + " unreachable address); 3 internal failure. Errors are one line on stderr; data alone"
      + " goes to stdout.";

  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:? ?");

  private CliSupport() {}

  /**
   * Runs {@code body} and returns its exit code; what it throws becomes one error line on the
   * command's stderr and the exit code {@link #exitCode(Throwable)} gives it.
   */
  public static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
    try {
      return body.call();
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      return report(spec, e);
    }
  }

  /**
   * The exit code of a failure: {@link #BAD_INPUT} for a usage error, unreadable input or an
   * unreachable address, {@link #FAILURE} for input refused with a protocol error code, {@link
   * #INTERNAL} for anything else.
   */
  static int exitCode(Throwable e) {
    if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
      return BAD_INPUT;
    }
    if (e instanceof KasComputeException) {
      return FAILURE;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof SQLException
          || t instanceof DagCommand.UnreadableException) {
        return BAD_INPUT;
      }
    }
    return INTERNAL;
  }

  /** Prints the one error line of {@code e} (a stack trace too when debugging) and returns its exit code. */
  static int report(CommandLine.Model.CommandSpec spec, Throwable e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + describe(spec, e));
    if (CliLogging.debug()) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode(e);
  }

  /** What went wrong, in one line that names the file or address and no exception class. */
  static String describe(CommandLine.Model.CommandSpec spec, Throwable e) {
    if (e instanceof KasComputeException k) {
      return k.code().wireName() + ": " + oneLine(k.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return "usage: " + message(e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "cannot bind " + option(spec, "--bind", "the address") + ":"
            + option(spec, "--port", "?") + ": " + message(t);
      }
      if (t instanceof SQLException) {
        return "cannot use the database " + jdbcUrl(spec) + ": " + message(t);
      }
      if (t instanceof ConnectException && !message(e).startsWith("cannot connect to ")) {
        return "cannot connect to " + option(spec, "--url", "the coordinator") + ": " + message(t);
      }
      if (t instanceof NoSuchFileException f) {
        return "io: cannot read " + f.getFile() + ": no such file";
      }
      if (t instanceof AccessDeniedException f) {
        return "io: cannot read " + f.getFile() + ": permission denied";
      }
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return "io: " + message(e);
    }
    return "internal: " + message(e);
  }

  /** The message of {@code e} on one line, without exception class names; never empty. */
  static String message(Throwable e) {
    String m = e.getMessage();
    if ((m == null || m.isBlank()) && e.getCause() != null) {
      m = e.getCause().getMessage();
    }
    if (m == null || m.isBlank()) {
      return e instanceof IOException ? "input/output error" : "unexpected failure";
    }
    String clean = CLASS_NAME.matcher(oneLine(m)).replaceAll("").strip();
    return clean.isEmpty() ? "unexpected failure" : clean;
  }

  private static String option(CommandLine.Model.CommandSpec spec, String name, String absent) {
    CommandLine.Model.OptionSpec o = spec.findOption(name);
    Object v = o == null ? null : o.getValue();
    if (v instanceof java.util.List<?> list) {
      v = list.isEmpty() ? null : list.size() == 1 ? list.get(0) : list;
    }
    return v == null ? absent : String.valueOf(v);
  }

  /** The {@code --jdbc-url} without its query, which may hold a password. */
  private static String jdbcUrl(CommandLine.Model.CommandSpec spec) {
    String url = option(spec, "--jdbc-url", "(none)");
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /**
   * The secret in {@code file} (for an option such as {@code --jdbc-password-file}), without one
   * final line break.
   *
   * @throws CommandLine.ParameterException if the file cannot be read
   */
  static String secretFromFile(CommandLine cl, String option, String file) {
    try {
      String s = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      return s.endsWith("\r\n") ? s.substring(0, s.length() - 2)
          : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException | RuntimeException e) {
      throw new CommandLine.ParameterException(cl, option + ": cannot read " + file + ": "
          + (e instanceof IOException io ? VerifyCommand.Exits.reason(io) : message(e)));
    }
  }

  /**
   * The secret in environment variable {@code name} (for an option such as {@code
   * --jdbc-password-env}).
   *
   * @throws CommandLine.ParameterException if the variable is not set
   */
  static String secretFromEnv(CommandLine cl, String option, String name) {
    String value = System.getenv(name);
    if (value == null) {
      throw new CommandLine.ParameterException(cl, option + ": environment variable " + name
          + " is not set");
    }
    return value;
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
      throw new IOException("cannot read " + file + ": " + VerifyCommand.Exits.reason(e), e);
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
      throw new IOException("cannot read " + file + ": " + VerifyCommand.Exits.reason(e), e);
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
