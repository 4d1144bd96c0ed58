package io.kascompute.dag.lease;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ledger.RecordedProof;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a completion.
 *
 * @param unlocked the dependents that became ready, in the order they were enqueued
 * @param recorded the accepted proof as recorded; for a repeat, the first record, or empty if the
 *     record no longer retains it
 * @param repeat true if the task was already completed with the same proof and nothing changed
 */
public record TaskCompletion(
    RunId runId, TaskId taskId, List<TaskId> unlocked, Optional<RecordedProof> recorded,
    boolean repeat) {
  /** Copies the list and checks that nothing is null. */
  public TaskCompletion {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    unlocked = List.copyOf(unlocked);
    Objects.requireNonNull(recorded, "recorded");
  }
}
