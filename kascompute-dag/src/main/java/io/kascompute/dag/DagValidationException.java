package io.kascompute.dag;

import io.kascompute.core.KasComputeException;
import java.util.List;

/**
 * A DAG spec was refused; carries every problem found (up to {@link #MAX_PROBLEMS}), and its
 * {@link #code()} is the code of the first.
 */
public final class DagValidationException extends KasComputeException {
  private static final long serialVersionUID = 1L;

  /** The most problems one exception lists; further problems are only counted. */
  public static final int MAX_PROBLEMS = 1000;

  private final List<DagProblem> problems;
  private final long suppressed;

  /** Creates an exception from a non-empty list of problems and a count of problems left out. */
  public DagValidationException(List<DagProblem> problems, long suppressed) {
    super(first(problems).code(), message(problems, suppressed));
    this.problems = List.copyOf(problems);
    if (suppressed < 0) {
      throw new IllegalArgumentException("suppressed must not be negative: " + suppressed);
    }
    this.suppressed = suppressed;
  }

  /** The problems found, in the order validation found them; never empty. */
  public List<DagProblem> problems() {
    return problems;
  }

  /** How many further problems were found but not listed, beyond {@link #MAX_PROBLEMS}. */
  public long suppressedProblems() {
    return suppressed;
  }

  private static DagProblem first(List<DagProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a validation failure has at least one problem");
    }
    return problems.get(0);
  }

  private static String message(List<DagProblem> problems, long suppressed) {
    long more = problems.size() - 1L + suppressed;
    String first = problems.get(0).message();
    return more == 0 ? first : first + " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")";
  }
}
