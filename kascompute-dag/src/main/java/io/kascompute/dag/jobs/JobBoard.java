package io.kascompute.dag.jobs;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.dag.internal.Nanos;
import io.kascompute.dag.lease.LeasePolicy;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * Leases plain jobs ({@code /v1/jobs/*}) to nodes with the same rules as DAG tasks in {@link
 * io.kascompute.dag.lease.LeaseStore}: epochs as fencing tokens, renewal strictly before expiry,
 * completion once with a proof hash (an identical repeat is answered again), and expired or failed
 * jobs retried up to {@link LeasePolicy#maxAttempts()} grants, then failed.
 *
 * <p>{@link #next} reclaims expired leases first (in order of expiry, ties by unsigned job id) and
 * appends them to the board's retry queue; it grants from that queue before it asks the {@link
 * JobSource} for a new job. Unlike the deployed V1 coordinator, an expired job is not dropped.
 * Checks run in the order {@code UNKNOWN_JOB}, {@code STALE_LEASE}, {@code NOT_OWNER}, {@code
 * LEASE_EXPIRED}, {@code TASK_NOT_RUNNING}, {@code ALREADY_COMPLETED}. Finished jobs are
 * remembered (for idempotent repeats and typed refusals) up to a retention count, oldest
 * forgotten first; a forgotten job answers {@code UNKNOWN_JOB}. Thread-safe; time comes only from
 * the {@code now} arguments.
 */
public final class JobBoard {
  private static final System.Logger LOG = System.getLogger(JobBoard.class.getName());
  private static final Comparator<LeaseEntry> BY_EXPIRY =
      Comparator.comparingLong(LeaseEntry::expiry)
          .thenComparing((a, b) -> Long.compareUnsigned(a.jobId(), b.jobId()));

  private enum State {
    READY,
    RECLAIMED,
    RUNNING,
    COMPLETED,
    FAILED
  }

  private static final class Entry {
    final Job job;
    State state;
    NodeId owner;
    int epoch;
    long expiry;
    Sha256Digest proof;

    Entry(Job job) {
      this.job = job;
    }
  }

  private record LeaseEntry(long expiry, long jobId, int epoch) {}

  private final JobSource source;
  private final LeasePolicy policy;
  private final int retainFinished;
  private final HashMap<Long, Entry> jobs = new HashMap<>();
  private final ArrayDeque<Entry> retry = new ArrayDeque<>();
  private final PriorityQueue<LeaseEntry> leases = new PriorityQueue<>(BY_EXPIRY);
  private final ArrayDeque<Long> finishedOrder = new ArrayDeque<>();
  private int ready;
  private int running;
  private long completed;
  private long failed;

  /** A board with the V1 job policy (60 s leases, 3 attempts) retaining 1,000,000 finished jobs. */
  public JobBoard(JobSource source) {
    this(source, LeasePolicy.JOB_DEFAULT, 1_000_000);
  }

  /**
   * A board with the given policy that remembers at most {@code retainFinished} finished jobs.
   */
  public JobBoard(JobSource source, LeasePolicy policy, int retainFinished) {
    this.source = Objects.requireNonNull(source, "source");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (retainFinished < 0) {
      throw new IllegalArgumentException("retainFinished must not be negative: " + retainFinished);
    }
    this.retainFinished = retainFinished;
  }

  /** Leases the oldest requeued job, or else a new job from the source, to {@code node}. */
  public synchronized Optional<JobLease> next(NodeId node, Instant now) {
    Objects.requireNonNull(node, "node");
    long at = Nanos.of(Objects.requireNonNull(now, "now"));
    reclaim(at);
    Entry e = null;
    while (e == null && !retry.isEmpty()) {
      Entry head = retry.poll();
      if (head.state == State.READY || head.state == State.RECLAIMED) {
        e = head;
        ready--;
      }
    }
    while (e == null) {
      Optional<Job> fresh = source.poll(now);
      if (fresh.isEmpty()) {
        return Optional.empty();
      }
      Job job = fresh.get();
      if (jobs.containsKey(job.id())) {
        LOG.log(
            Level.WARNING,
            "job source supplied job {0} again while the board still knows it; skipped",
            Long.toUnsignedString(job.id()));
        continue;
      }
      e = new Entry(job);
      jobs.put(job.id(), e);
    }
    e.state = State.RUNNING;
    running++;
    e.owner = node;
    e.epoch++;
    e.expiry = Nanos.plus(at, Nanos.of(policy.leaseDuration()));
    leases.add(new LeaseEntry(e.expiry, e.job.id(), e.epoch));
    return Optional.of(
        new JobLease(e.job.id(), e.job.workUnits(), Nanos.toInstant(e.expiry), e.epoch, e.epoch));
  }

  /** Extends the node's lease on a job to {@code now + leaseDuration}. */
  public synchronized JobLease renew(long jobId, NodeId node, OptionalLong epoch, Instant now) {
    long at = Nanos.of(Objects.requireNonNull(now, "now"));
    Entry e = claimed(jobId, node, epoch);
    if (e.state == State.RECLAIMED || (e.state == State.RUNNING && at >= e.expiry)) {
      throw refuse(ErrorCode.LEASE_EXPIRED, jobId, "the lease expired at " + Nanos.toInstant(e.expiry));
    }
    if (e.state == State.COMPLETED) {
      throw refuse(ErrorCode.ALREADY_COMPLETED, jobId, "the job is already completed");
    }
    if (e.state != State.RUNNING) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, jobId, "the job is " + describe(e.state));
    }
    e.expiry = Nanos.plus(at, Nanos.of(policy.leaseDuration()));
    leases.add(new LeaseEntry(e.expiry, jobId, e.epoch));
    return new JobLease(jobId, e.job.workUnits(), Nanos.toInstant(e.expiry), e.epoch, e.epoch);
  }

  /**
   * Completes a job with an already verified proof, identified by its hash; accepted after expiry
   * as long as nobody else was granted the job since.
   */
  public synchronized JobCompletion complete(
      long jobId, NodeId node, OptionalLong epoch, Sha256Digest proofHash, Instant now) {
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(now, "now");
    Entry e = claimed(jobId, node, epoch);
    if (e.state == State.COMPLETED) {
      if (!e.proof.equals(proofHash)) {
        throw refuse(ErrorCode.ALREADY_COMPLETED, jobId, "the job is already completed with another proof");
      }
      return new JobCompletion(jobId, true);
    }
    if (e.state != State.RUNNING && e.state != State.RECLAIMED) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, jobId, "the job is " + describe(e.state));
    }
    leave(e);
    e.state = State.COMPLETED;
    e.proof = proofHash;
    completed++;
    finished(e);
    return new JobCompletion(jobId, false);
  }

  /** Records that the node failed the job; it is requeued or, with its attempts used up, failed. */
  public synchronized JobFailure fail(long jobId, NodeId node, OptionalLong epoch, Instant now) {
    Objects.requireNonNull(now, "now");
    Entry e = claimed(jobId, node, epoch);
    if (e.state == State.COMPLETED) {
      throw refuse(ErrorCode.ALREADY_COMPLETED, jobId, "the job is already completed");
    }
    if (e.state != State.RUNNING && e.state != State.RECLAIMED) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, jobId, "the job is " + describe(e.state));
    }
    boolean exhausted = e.epoch >= policy.maxAttempts();
    if (exhausted) {
      leave(e);
      e.state = State.FAILED;
      failed++;
      finished(e);
    } else if (e.state == State.RUNNING) {
      running--;
      e.state = State.READY;
      ready++;
      retry.add(e);
    } else {
      e.state = State.READY;
    }
    return new JobFailure(jobId, exhausted, e.epoch);
  }

  /** The board's counts. */
  public synchronized JobBoardStatus status() {
    return new JobBoardStatus(ready, running, completed, failed);
  }

  private void reclaim(long now) {
    List<Entry> expired = new ArrayList<>();
    while (!leases.isEmpty()) {
      LeaseEntry l = leases.peek();
      Entry e = jobs.get(l.jobId());
      boolean live =
          e != null && e.state == State.RUNNING && e.epoch == l.epoch() && e.expiry == l.expiry();
      if (live && l.expiry() > now) {
        break;
      }
      leases.poll();
      if (live) {
        e.state = State.RECLAIMED;
        expired.add(e);
      }
    }
    for (Entry e : expired) {
      running--;
      if (e.epoch >= policy.maxAttempts()) {
        e.state = State.FAILED;
        failed++;
        finished(e);
      } else {
        ready++;
        retry.add(e);
      }
    }
  }

  private Entry claimed(long jobId, NodeId node, OptionalLong epoch) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Entry e = jobs.get(jobId);
    if (e == null) {
      throw new KasComputeException(
          ErrorCode.UNKNOWN_JOB, "no job has id " + Long.toUnsignedString(jobId));
    }
    if (epoch.isPresent() && epoch.getAsLong() != e.epoch) {
      throw refuse(
          ErrorCode.STALE_LEASE,
          jobId,
          "lease epoch " + epoch.getAsLong() + " is not the current epoch " + e.epoch);
    }
    if (!e.owner.equals(node)) {
      throw refuse(ErrorCode.NOT_OWNER, jobId, "node " + node + " does not hold the lease");
    }
    return e;
  }

  private void leave(Entry e) {
    if (e.state == State.RUNNING) {
      running--;
    } else {
      ready--; // a reclaimed job still queued; its queue entry is skipped later
    }
  }

  private void finished(Entry e) {
    finishedOrder.add(e.job.id());
    while (finishedOrder.size() > retainFinished) {
      jobs.remove(finishedOrder.poll());
    }
  }

  private static String describe(State s) {
    return s == State.FAILED ? "failed" : "requeued and not leased to this node";
  }

  private static KasComputeException refuse(ErrorCode code, long jobId, String why) {
    return new KasComputeException(code, "job " + Long.toUnsignedString(jobId) + ": " + why);
  }
}
