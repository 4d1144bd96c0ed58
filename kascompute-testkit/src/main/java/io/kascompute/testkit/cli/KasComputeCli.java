package io.kascompute.testkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kascompute} command-line tool: one subcommand per protocol task. */
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
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /** Runs the tool and exits with its status: 0 on success, 2 for bad input, 1 otherwise. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, for embedding and tests. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new KasComputeCli());
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
