package io.kascompute.dag.lease;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a completion.
 *
 * @param unlocked the dependents that became ready, in the order they were enqueued
 * @param repeat true if the task was already completed with the same proof and nothing changed
 */
public record TaskCompletion(RunId runId, TaskId taskId, List<TaskId> unlocked, boolean repeat) {
  /** Copies the list and checks that nothing is null. */
  public TaskCompletion {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    unlocked = List.copyOf(unlocked);
  }
}
