package io.kascompute.testkit.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code kascompute} command-line tool: one subcommand per protocol task, all following one
 * set of conventions ({@code docs/cli.md}): {@code --version} and {@code --log-level} on every
 * command, exit codes 0 success, 1 invalid input, 2 unreadable input or usage error, 3 internal
 * failure, and errors as one line on stderr.
 */
@Command(
    name = "kascompute",
    mixinStandardHelpOptions = true,
    versionProvider = KasComputeCli.Version.class,
    description = "KASCompute Protocol V1 tools.",
    subcommands = {
      CanonicalizeCommand.class,
      DagCommand.class,
      KeygenCommand.class,
      SignCommand.class,
      VerifyCommand.class,
      ServeCommand.class,
      FleetCommand.class,
      DemoCommand.class,
      LedgerCommand.class, AuditCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KasComputeCli implements Runnable {
  @CommandLine.Spec private CommandSpec spec;

  /** Runs the tool and exits with its status (see {@code --help}). */
  public static void main(String[] args) {
    CliLogging.install(CliLogging.LogLevel.WARN);
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, for embedding and tests. */
  public static CommandLine newCommandLine() {
    CommandLine root = new CommandLine(new KasComputeCli());
    serveSecretOptions(root.getSubcommands().get("serve"));
    return conventions(root);
  }

  /**
   * Gives {@code serve}'s secrets sources outside the command line: {@code --jdbc-password-file},
   * {@code --jdbc-password-env} and {@code --coordinator-key-env}.
   */
  private static void serveSecretOptions(CommandLine serve) {
    ServeCommand cmd = serve.getCommand();
    serve.getCommandSpec().addOption(secretOption("--jdbc-password-file", "FILE",
        "A file whose content (without a final line break) is the PostgreSQL password.",
        value -> cmd.jdbcPassword = CliSupport.secretFromFile(serve, "--jdbc-password-file", value)));
    serve.getCommandSpec().addOption(secretOption("--jdbc-password-env", "NAME",
        "An environment variable holding the PostgreSQL password.",
        value -> cmd.jdbcPassword = CliSupport.secretFromEnv(serve, "--jdbc-password-env", value)));
    serve.getCommandSpec().addOption(secretOption("--coordinator-key-env", "NAME",
        "An environment variable holding the coordinator's seed hex, or the JSON that keygen prints.",
        value -> {
          String secret = CliSupport.secretFromEnv(serve, "--coordinator-key-env", value).strip();
          if (secret.startsWith("{")) {
            try {
              secret = SignCommand.parseKey(secret, "environment variable " + value)
                  .exportSecretSeedHex();
            } catch (io.kascompute.core.KasComputeException e) {
              throw new CommandLine.ParameterException(serve, e.getMessage());
            }
          }
          ServeCommand.CoordinatorKey key = new ServeCommand.CoordinatorKey();
          key.hex = secret;
          cmd.coordinatorKey = key;
        }));
  }

  private static OptionSpec secretOption(String name, String label, String description,
      java.util.function.Consumer<String> apply) {
    return OptionSpec.builder(name)
        .paramLabel(label)
        .type(String.class)
        .description(description)
        .setter(new CommandLine.Model.ISetter() {
          @Override
          public <T> T set(T value) {
            if (value != null) {
              apply.accept((String) value);
            }
            return null;
          }
        })
        .build();
  }

  /**
   * Applies the tool's conventions to {@code root} and every command below it: the version, the
   * {@code --log-level} option, the exit-code table as the help footer, and the handlers that turn
   * usage errors and failures into one stderr line and the documented exit code.
   */
  static CommandLine conventions(CommandLine root) {
    // SLF4J's own start-up notes (no provider bound, e.g. under HikariCP) would be extra stderr
    // lines around an error's one line.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    Deque<CommandLine> todo = new ArrayDeque<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      CommandLine c = todo.poll();
      CommandSpec s = c.getCommandSpec();
      if (!(c.getCommand() instanceof CommandLine.HelpCommand)) {
        s.versionProvider(new Version());
        s.usageMessage().footer(CliSupport.EXIT_CODES);
        s.addOption(OptionSpec.builder("--log-level")
            .paramLabel("error|warn|info|debug")
            .type(CliLogging.LogLevel.class)
            .description("Log records shown on stderr, one line each (default: warn; debug adds"
                + " stack traces).")
            .setter(new CommandLine.Model.ISetter() {
              @Override
              public <T> T set(T value) {
                if (value != null) {
                  CliLogging.install((CliLogging.LogLevel) value);
                }
                return null;
              }
            })
            .build());
      }
      todo.addAll(c.getSubcommands().values());
    }
    root.setCaseInsensitiveEnumValuesAllowed(true);
    root.setExitCodeExceptionMapper(CliSupport::exitCode);
    root.setParameterExceptionHandler((e, args) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println("error: usage: " + CliSupport.message(e) + " (see '"
          + c.getCommandSpec().qualifiedName() + " --help')");
      c.getErr().flush();
      return CliSupport.BAD_INPUT;
    });
    root.setExecutionExceptionHandler((e, c, parsed) -> {
      CliSupport.report(c.getCommandSpec(), e);
      return c.getExitCodeExceptionMapper().getExitCode(e);
    });
    return root;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = KasComputeCli.class.getPackage().getImplementationVersion();
      return new String[] {"kascompute " + (v == null ? "(development build)" : v)};
    }
  }
}
