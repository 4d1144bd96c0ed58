package io.kascompute.testkit.cli;

import io.kascompute.core.json.CanonicalJson;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kascompute canonicalize [FILE|-]}: writes a JSON document's RFC 8785 bytes to stdout. */
@Command(
    name = "canonicalize",
    mixinStandardHelpOptions = true,
    description = {
      "Reads one JSON document (strictly: duplicate keys, NaN, invalid UTF-8, trailing data and"
          + " nesting deeper than 64 are refused) and writes its RFC 8785 canonical UTF-8 bytes"
          + " to stdout, without a trailing newline. Malformed JSON is invalid input (exit 1)."
    })
final class CanonicalizeCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE|-",
      defaultValue = "-",
      description = "The JSON file; '-' or nothing reads stdin.")
  private String file;

  @Override
  public Integer call() {
    return CliSupport.run(spec, () -> {
      byte[] canonical = CanonicalJson.canonicalize(CliSupport.readInput(file));
      PrintStream out = System.out;
      out.write(canonical);
      out.flush();
      return CliSupport.OK;
    });
  }
}
