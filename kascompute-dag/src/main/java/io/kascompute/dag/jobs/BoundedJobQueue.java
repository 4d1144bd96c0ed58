package io.kascompute.dag.jobs;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;

/** A thread-safe, bounded FIFO {@link JobSource} that the host fills with {@link #offer}. */
public final class BoundedJobQueue implements JobSource {
  private final ArrayBlockingQueue<Job> queue;

  /** Creates an empty queue holding at most {@code capacity} jobs. */
  public BoundedJobQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Appends a job; returns false, changing nothing, if the queue is full. */
  public boolean offer(Job job) {
    return queue.offer(Objects.requireNonNull(job, "job"));
  }

  /** The number of jobs waiting. */
  public int size() {
    return queue.size();
  }

  @Override
  public Optional<Job> poll(Instant now) {
    return Optional.ofNullable(queue.poll());
  }
}
