package io.kascompute.dag.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a {@link JobBoard} gets new jobs: the host implements it with a queue it fills (see {@link
 * BoundedJobQueue}) or a generator. The board calls it under its own lock, only when it has no
 * requeued job to hand out, so an implementation need not be thread-safe towards the board.
 */
@FunctionalInterface
public interface JobSource {
  /** The next new job, or empty if there is none right now. */
  Optional<Job> poll(Instant now);
}
