package io.kascompute.testkit.cli;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagAdmission;
import io.kascompute.dag.DagLimits;
import io.kascompute.dag.DagProblem;
import io.kascompute.dag.DagValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kascompute dag hash|validate FILE}: hashes or validates a ComputeDAG spec exactly as a
 * deployed V1 coordinator reads it ({@link DagLimits#V1}), in one streaming pass.
 */
@Command(
    name = "dag",
    mixinStandardHelpOptions = true,
    description = "ComputeDAG tools. FILE holds the submit body {\"spec\":{...}} or the bare spec.",
    subcommands = {DagCommand.Hash.class, DagCommand.Validate.class})
final class DagCommand implements Runnable {
  /** The input was read, and something in it is invalid. */
  static final int INVALID = 1;
  /** The input could not be read, or the command line is wrong. */
  static final int UNREADABLE = 2;
  /** The tool failed. */
  static final int INTERNAL = 3;

  /** Rounds of about 160 KB that the SHA-256 warm-up hashes at once. */
  private static final int WARM_UP_ROUNDS = 64;
  /** Rounds of about 130 KB, 5 ms apart, that keep the digest's compilation queued. */
  private static final int KEEP_WARM_ROUNDS = 2000;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /**
   * Runs {@code kascompute dag ARGS} without building the parsers of the tool's other commands:
   * the launcher script starts {@code dag} here, so that hashing a spec pays for no more start-up
   * than it needs.
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * {@code kascompute dag ARGS}: the plain {@code hash FILE} runs without building a command-line
   * parser at all (a third of a short run's start-up), everything else through picocli.
   */
  static int execute(String[] args) {
    if (args.length == 2 && "hash".equals(args[0]) && plainFile(args[1])) {
      PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()));
      return Hash.hash(args[1], err);
    }
    return KasComputeCli.conventions(
        new CommandLine(new DagCommand()).setCommandName("kascompute dag")).execute(args);
  }

  /** True if picocli reads {@code arg} as the file name itself: not an option nor an @-file. */
  private static boolean plainFile(String arg) {
    return "-".equals(arg) || !arg.isEmpty() && arg.charAt(0) != '-' && arg.charAt(0) != '@';
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: hash or validate");
  }

  /** The input could not be read: a message without exception class names. */
  static final class UnreadableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads all of FILE, or of stdin for {@code -}. */
  static byte[] read(String file) throws UnreadableException {
    try {
      if ("-".equals(file)) {
        InputStream in = System.in;
        return in.readAllBytes();
      }
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        throw new UnreadableException("cannot read " + file + ": it is a directory", null);
      }
      if (Files.size(path) > DagLimits.V1.maxSpecBytes()) {
        throw new UnreadableException("cannot read " + file + ": larger than "
            + DagLimits.V1.maxSpecBytes() + " bytes", null);
      }
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new UnreadableException("cannot read " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UnreadableException("cannot read " + file + ": permission denied", e);
    } catch (IOException | OutOfMemoryError e) {
      String why = e.getMessage() == null ? "read failed" : e.getMessage();
      throw new UnreadableException("cannot read " + file + ": " + why, e);
    }
  }

  /**
   * Starts compiling SHA-256 on the second core while the first reads the spec. The JIT uses the
   * CPU's SHA instructions only once it has compiled the digest's update and block loop, and a
   * fresh JVM would otherwise hash most of a large spec's canonical bytes in interpreted code: a
   * few megabytes hashed early, in a daemon thread, move that compilation off the critical path.
   * The updates have the shapes of the real ones (the root hash's 64 KiB chunks of any length,
   * each task's short prefix then its params, both starting mid-block): compiled code that never
   * saw an update start mid-block, or a fresh digest (whose first block allocates the JDK's
   * message schedule), is thrown away at the first such call, and the spec's hashing then runs
   * interpreted until the JIT compiles the digest again. After the first few megabytes the
   * thread keeps hashing a little every few milliseconds for up to ten seconds: the JIT drops a
   * queued compilation of a method that stopped running, and the digest's would otherwise wait
   * behind the reader's until the spec's own hashing asked for it again.
   */
  static void warmUpSha256() {
    Thread t = new Thread(() -> {
      byte[] block = new byte[(1 << 16) + 256];
      byte[] out = new byte[32];
      try {
        for (int round = 0; round < WARM_UP_ROUNDS + KEEP_WARM_ROUNDS; round++) {
          if (round >= WARM_UP_ROUNDS) {
            Thread.sleep(5);
          }
          MessageDigest md = Sha256Digest.newMessageDigest();
          md.update(block, 0, (1 << 16) + 1 + (round & 63));
          md.update(block, 0, (1 << 16) + 37 + 3 * (round & 63));
          md.digest(out, 0, 32);
          int digests = round < WARM_UP_ROUNDS ? 256 : 16;
          for (int k = 0; k < digests; k++) {
            md.update(block, k, 80 + (k & 31));
            md.update(block, k, 4 + (k & 63));
            md.digest(out, 0, 32);
          }
        }
      } catch (java.security.DigestException | InterruptedException e) {
        return;
      }
    }, "sha256-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Runs a subcommand body with the exit codes above and one-line errors naming the file. */
  static int run(PrintWriter err, String file, Callable<Integer> body) {
    String name = "-".equals(file) ? "stdin" : file;
    try {
      return body.call();
    } catch (UnreadableException e) {
      err.println("error: " + oneLine(e.getMessage()));
      err.flush();
      return UNREADABLE;
    } catch (KasComputeException e) {
      err.println("error: " + name + ": " + e.code().wireName() + ": " + oneLine(e.getMessage()));
      err.flush();
      return INVALID;
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      err.println("error: " + name + ": internal failure: " + oneLine(String.valueOf(e.getMessage())));
      err.flush();
      return INTERNAL;
    }
  }

  private static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }

  /** {@code kascompute dag hash FILE}. */
  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description = {
        "Reads the spec as a deployed V1 coordinator does and prints"
            + " {\"dag_root_hash\":...,\"tasks_total\":N,\"tasks\":{id:hash,...}}"
            + " with tasks in code-point order of their ids. Admission rules (see validate) do"
            + " not apply: every spec V1 hashes is hashed. Invalid input (exit 1): malformed"
            + " JSON, a missing or ill-typed field, a spec V1 refuses."
      })
  static final class Hash implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE|-", description = "The DAG file; '-' reads stdin.")
    private String file;

    @Override
    public Integer call() {
      return hash(file, spec.commandLine().getErr());
    }

    /** Hashes FILE to stdout; returns the exit code, with errors on {@code err}. */
    static int hash(String file, PrintWriter err) {
      warmUpSha256();
      return run(err, file, () -> {
        ComputeDag dag = ComputeDag.fromSubmitBodyOrSpec(read(file), DagLimits.V1);
        // Written as bytes straight from the compiled DAG's UTF-8 ids and digest bytes: no
        // String per id or hash, and no re-encoding of the whole output on its way out.
        JsonWriter w = new JsonWriter(128 + dag.taskCount() * 100);
        w.raw("{\"dag_root_hash\":").string(dag.rootHash().hex());
        w.raw(",\"tasks_total\":").unsigned(dag.taskCount()).raw(",\"tasks\":{");
        for (int i = 0; i < dag.taskCount(); i++) {
          if (i > 0) {
            w.raw(',');
          }
          byte[] id = dag.taskIdUtf8(i);
          byte[] hash = dag.taskHash(i).toByteArray();
          w.utf8String(id, 0, id.length).raw(':').hexString(hash, 0, hash.length);
        }
        w.raw("}}\n");
        PrintStream out = System.out;
        out.write(w.buffer(), 0, w.size());
        out.flush();
        return 0;
      });
    }
  }

  /** {@code kascompute dag validate FILE}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Reads the spec as a deployed V1 coordinator does, then applies an SDK coordinator's"
            + " admission rules (control characters in task ids, empty DAGs, repeated edges, value"
            + " bounds). Prints 'valid: <summary>' when nothing is found; 'v1-valid: <summary>'"
            + " followed by one '<code>: <message>' line per admission finding (these never change"
            + " the hash); or, for a spec V1 refuses, one '<code>: <message>' line per problem."
            + " Invalid input (exit 1): malformed JSON, a missing or ill-typed field, a spec V1"
            + " refuses, or any admission finding."
      })
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE|-", description = "The DAG file; '-' reads stdin.")
    private String file;

    @Option(names = "--admission", paramLabel = "strict|v1", defaultValue = "strict",
        description = "The admission rules: strict (an SDK coordinator's default, all rules on) or"
            + " v1 (none, as deployed V1). Default: ${DEFAULT-VALUE}.")
    private String admission;

    @Override
    public Integer call() {
      DagAdmission policy;
      if ("strict".equals(admission)) {
        policy = DagAdmission.strict();
      } else if ("v1".equals(admission)) {
        policy = DagAdmission.v1();
      } else {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--admission must be strict or v1, got " + admission);
      }
      return run(spec.commandLine().getErr(), file, () -> {
        PrintWriter out = spec.commandLine().getOut();
        ComputeDag dag;
        try {
          dag = ComputeDag.fromSubmitBodyOrSpec(read(file), DagLimits.V1);
        } catch (DagValidationException e) {
          print(out, e.problems(), e.suppressedProblems());
          return INVALID;
        }
        List<DagProblem> findings = policy.findings(dag);
        String summary = dag.taskCount() + " tasks, " + dag.edgeCount() + " edges, "
            + dag.levelCount() + " levels, critical path "
            + Long.toUnsignedString(dag.criticalPathWorkUnits()) + " work units, total "
            + Long.toUnsignedString(dag.totalWorkUnits()) + " work units, dag_root_hash "
            + dag.rootHash().hex();
        out.println((findings.isEmpty() ? "valid: " : "v1-valid: ") + summary);
        print(out, findings, 0);
        return findings.isEmpty() ? 0 : INVALID;
      });
    }

    private static void print(PrintWriter out, List<DagProblem> problems, long suppressed) {
      for (DagProblem p : problems) {
        out.println(p.code().wireName() + ": " + oneLine(p.message()));
      }
      if (suppressed > 0) {
        out.println("... and " + suppressed + " more problems not listed");
      }
      out.flush();
    }
  }
}
