package io.kascompute.testkit.cli;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.Fields;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagProblem;
import io.kascompute.dag.DagValidationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kascompute dag hash|validate FILE}: hashes or validates a ComputeDAG spec. */
@Command(
    name = "dag",
    mixinStandardHelpOptions = true,
    description = "ComputeDAG tools. FILE holds the submit body {\"spec\":{...}} or the bare spec.",
    subcommands = {DagCommand.Hash.class, DagCommand.Validate.class})
final class DagCommand implements Runnable {
  /** DAG files may be large: about 60 bytes per task, so 1M tasks is about 60 MB. */
  static final JsonLimits FILE_LIMITS = JsonLimits.DEFAULT.withMaxBytes(1 << 30);

  /** Exit code of {@code validate} for a spec that was read but refused. */
  static final int INVALID = 1;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: hash or validate");
  }

  /** Reads FILE as a submit body (an object with a {@code spec} object) or a bare spec. */
  static DagSpec readSpec(String file) throws IOException {
    JsonValue doc = StrictJsonReader.withLimits(FILE_LIMITS).read(CliSupport.readInput(file));
    JsonObject o = Fields.object(doc, "the DAG file");
    if (!o.members().containsKey("nodes") && o.members().get("spec") instanceof JsonObject) {
      return DagSpec.fromSubmitBody(o);
    }
    return DagSpec.fromJson(o);
  }

  /** {@code kascompute dag hash FILE}. */
  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description = {
        "Validates the spec and prints {\"dag_root_hash\":...,\"tasks_total\":N,\"tasks\":{id:hash,...}}"
            + " with tasks in code-point order of their ids.",
        "Exit codes: 0 ok, 2 malformed, unreadable or refused spec."
      })
  static final class Hash implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE|-", description = "The DAG file; '-' reads stdin.")
    private String file;

    @Override
    public Integer call() {
      return CliSupport.run(spec, () -> {
        ComputeDag dag = ComputeDag.compile(readSpec(file));
        JsonWriter w = new JsonWriter(128 + dag.taskCount() * 100);
        w.raw("{\"dag_root_hash\":").string(dag.rootHash().hex());
        w.raw(",\"tasks_total\":").unsigned(dag.taskCount()).raw(",\"tasks\":{");
        for (int i = 0; i < dag.taskCount(); i++) {
          if (i > 0) {
            w.raw(',');
          }
          w.key(dag.taskId(i).value()).string(dag.taskHash(i).hex());
        }
        w.raw("}}");
        PrintWriter out = spec.commandLine().getOut();
        out.println(new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8));
        out.flush();
        return CliSupport.OK;
      });
    }
  }

  /** {@code kascompute dag validate FILE}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Validates the spec: prints a one-line summary (tasks, edges, levels, critical-path work"
            + " units), or every problem found, one per line as <code>: <message>.",
        "Exit codes: 0 valid, 1 refused spec, 2 malformed or unreadable file."
      })
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE|-", description = "The DAG file; '-' reads stdin.")
    private String file;

    @Override
    public Integer call() {
      return CliSupport.run(spec, () -> {
        DagSpec dagSpec = readSpec(file);
        PrintWriter out = spec.commandLine().getOut();
        try {
          ComputeDag dag = ComputeDag.compile(dagSpec);
          out.println("valid: " + dag.taskCount() + " tasks, " + dag.edgeCount() + " edges, "
              + dag.levelCount() + " levels, critical path "
              + Long.toUnsignedString(dag.criticalPathWorkUnits()) + " work units, total "
              + Long.toUnsignedString(dag.totalWorkUnits()) + " work units, dag_root_hash "
              + dag.rootHash().hex());
          out.flush();
          return CliSupport.OK;
        } catch (DagValidationException e) {
          for (DagProblem p : e.problems()) {
            out.println(p.code().wireName() + ": " + p.message().replace('\n', ' '));
          }
          if (e.suppressedProblems() > 0) {
            out.println("... and " + e.suppressedProblems() + " more problems not listed");
          }
          out.flush();
          return INVALID;
        }
      });
    }
  }
}
