package io.kascompute.dag.jobs;

import io.kascompute.dag.ledger.RecordedProof;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a job completion.
 *
 * @param recorded the accepted proof as recorded; for a repeat, the first record, or empty if the
 *     record no longer retains it
 * @param repeat true if the job was already completed with the same proof and nothing changed
 */
public record JobCompletion(long jobId, Optional<RecordedProof> recorded, boolean repeat) {
  /** Checks that nothing is null. */
  public JobCompletion {
    Objects.requireNonNull(recorded, "recorded");
  }
}
