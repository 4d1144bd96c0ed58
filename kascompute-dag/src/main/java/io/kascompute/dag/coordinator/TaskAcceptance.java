package io.kascompute.dag.coordinator;

import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.ledger.AcceptedProof;
import java.util.Objects;

/**
 * The outcome of an accepted task proof: the proof as accepted and the lease store's completion
 * (dependents unlocked, repeat flag, record).
 */
public record TaskAcceptance(AcceptedProof proof, TaskCompletion completion) {
  /** Checks that nothing is null. */
  public TaskAcceptance {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(completion, "completion");
  }
}
