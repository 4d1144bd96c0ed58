package io.kascompute.dag.lease;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import java.util.Objects;

/**
 * The answer to a failure report.
 *
 * @param attemptsExhausted true if the task used up its attempts and is now failed for good; false
 *     if it was requeued
 */
public record TaskFailure(RunId runId, TaskId taskId, boolean attemptsExhausted, int attempts) {
  /** Checks that nothing is null. */
  public TaskFailure {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
  }
}
