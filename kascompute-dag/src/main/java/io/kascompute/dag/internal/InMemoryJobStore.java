package io.kascompute.dag.internal;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.JobState;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.jobs.JobCompletion;
import io.kascompute.dag.jobs.JobCounts;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.jobs.JobStore;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.lease.LeaseState;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The in-memory job store: jobs in a map, new jobs and reclaimed jobs in two FIFO queues, live
 * leases in a queue by expiry, and at most {@code retainFinished} finished jobs remembered
 * (oldest forgotten first). Thread-safe (one lock); grants, completions and reclaims are O(log n).
 */
public final class InMemoryJobStore implements JobStore {
  private static final int RECENT = 4096;
  private static final Comparator<Lease> BY_EXPIRY = Comparator.comparingLong(Lease::expiry)
      .thenComparing((a, b) -> Long.compareUnsigned(a.jobId(), b.jobId()));

  private static final class Job {
    final long id;
    final long workUnits;
    final Instant created;
    LeaseState state = LeaseState.READY;
    boolean claimed;
    NodeId owner;
    long epoch;
    long granted;
    long expiry;
    Instant completed;
    Sha256Digest proofHash;
    Instant changed;

    Job(long id, long workUnits, Instant created) {
      this.id = id;
      this.workUnits = workUnits;
      this.created = created;
      this.changed = created;
    }
  }

  private record Lease(long expiry, long jobId, long epoch) {}

  private final InMemoryProofLedger ledger;
  private final int retainFinished;
  private final TreeMap<Long, Job> jobs = new TreeMap<>(Long::compareUnsigned);
  private final ArrayDeque<Job> fresh = new ArrayDeque<>();
  private final ArrayDeque<Job> reclaimed = new ArrayDeque<>();
  private final PriorityQueue<Lease> leases = new PriorityQueue<>(BY_EXPIRY);
  private final ArrayDeque<Long> finished = new ArrayDeque<>();
  private final ArrayDeque<Long> recent = new ArrayDeque<>();
  private long nextId = 1;
  private long pending;
  private long running;
  private long completed;
  private long expired;

  /** A store that records accepted proofs in {@code ledger} and remembers that many finished jobs. */
  public InMemoryJobStore(InMemoryProofLedger ledger, int retainFinished) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    if (retainFinished < 1) {
      throw new IllegalArgumentException("retainFinished must be at least 1: " + retainFinished);
    }
    this.retainFinished = retainFinished;
  }

  @Override
  public synchronized long add(long workUnits, Instant now) {
    Job j = new Job(nextId++, workUnits, Objects.requireNonNull(now, "now"));
    jobs.put(j.id, j);
    fresh.addLast(j);
    pending++;
    touch(j, now);
    return j.id;
  }

  @Override
  public synchronized int topUp(int minPending, LongSupplier workUnits, Instant now) {
    int added = 0;
    while (pending < minPending) {
      add(workUnits.getAsLong(), now);
      added++;
    }
    return added;
  }

  @Override
  public synchronized Optional<JobGrant> next(NodeId node, Instant now, LeasePolicy policy) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(policy, "policy");
    long at = Nanos.of(Objects.requireNonNull(now, "now"));
    reclaim(at, policy.maxAttempts(), now);
    Job j = poll(reclaimed);
    if (j == null) {
      j = poll(fresh);
    }
    if (j == null) {
      return Optional.empty();
    }
    pending--;
    running++;
    j.state = LeaseState.RUNNING;
    j.claimed = true;
    j.owner = node;
    j.epoch++;
    j.granted = at;
    j.expiry = Nanos.plus(at, Nanos.of(policy.leaseDuration()));
    leases.add(new Lease(j.expiry, j.id, j.epoch));
    touch(j, now);
    return Optional.of(new JobGrant(j.id, j.workUnits, node, now, Nanos.toInstant(j.expiry), j.epoch));
  }

  @Override
  public synchronized JobCompletion complete(
      long jobId, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now) {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(now, "now");
    if (proof.kind() != ProofKind.JOB || proof.jobId().orElse(~jobId) != jobId) {
      throw new IllegalArgumentException("the proof is not one for job " + Long.toUnsignedString(jobId));
    }
    Job j = jobs.get(jobId);
    if (j == null) {
      throw unknown(jobId);
    }
    String what = "job " + Long.toUnsignedString(jobId);
    LeaseRules.check(claim(j), node, epoch, LeaseRules.Operation.COMPLETE, Nanos.of(now), what);
    if (j.state == LeaseState.COMPLETED) {
      if (!j.proofHash.equals(proof.proofHash())) {
        throw LeaseRules.alreadyCompleted(what);
      }
      return new JobCompletion(jobId, ledger.find(proof.proofHash()), true);
    }
    RecordedProof recorded = ledger.append(proof, what);
    if (j.state == LeaseState.RUNNING) {
      running--;
    } else {
      pending--; // reclaimed and still queued; its queue entry is skipped when it reaches the head
    }
    j.state = LeaseState.COMPLETED;
    j.claimed = false;
    j.completed = now;
    j.proofHash = proof.proofHash();
    completed++;
    finish(j, now);
    return new JobCompletion(jobId, Optional.of(recorded), false);
  }

  @Override
  public synchronized Optional<JobRecord> job(long jobId) {
    Job j = jobs.get(jobId);
    return j == null ? Optional.empty() : Optional.of(record(j));
  }

  @Override
  public synchronized List<JobRecord> jobs(OptionalLong after, int limit) {
    var tail = after.isPresent() ? jobs.tailMap(after.getAsLong(), false) : jobs;
    List<JobRecord> out = new ArrayList<>(Math.min(limit, tail.size()));
    for (Job j : tail.values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(record(j));
    }
    return out;
  }

  @Override
  public synchronized List<JobRecord> recent(int limit) {
    List<JobRecord> out = new ArrayList<>();
    HashSet<Long> seen = new HashSet<>();
    Iterator<Long> it = recent.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      long id = it.next();
      Job j = jobs.get(id);
      if (j != null && seen.add(id)) {
        out.add(record(j));
      }
    }
    return out;
  }

  @Override
  public synchronized JobCounts counts() {
    return new JobCounts(pending, running, completed, expired);
  }

  private void reclaim(long now, int maxAttempts, Instant at) {
    List<Job> expiredNow = new ArrayList<>();
    while (!leases.isEmpty()) {
      Lease l = leases.peek();
      Job j = jobs.get(l.jobId());
      boolean live = j != null && j.state == LeaseState.RUNNING && j.epoch == l.epoch()
          && j.expiry == l.expiry();
      if (live && l.expiry() > now) {
        break;
      }
      leases.poll();
      if (live) {
        expiredNow.add(j);
      }
    }
    for (Job j : expiredNow) {
      running--;
      if (j.epoch >= maxAttempts) {
        j.state = LeaseState.FAILED;
        j.claimed = false;
        expired++;
        finish(j, at);
      } else {
        j.state = LeaseState.READY;
        pending++;
        reclaimed.addLast(j);
        touch(j, at);
      }
    }
  }

  private static Job poll(ArrayDeque<Job> queue) {
    while (!queue.isEmpty()) {
      Job j = queue.pollFirst();
      if (j.state == LeaseState.READY) {
        return j;
      }
    }
    return null;
  }

  private void finish(Job j, Instant now) {
    touch(j, now);
    finished.addLast(j.id);
    while (finished.size() > retainFinished) {
      jobs.remove(finished.pollFirst());
    }
  }

  private void touch(Job j, Instant now) {
    j.changed = now;
    recent.addLast(j.id);
    while (recent.size() > RECENT) {
      recent.pollFirst();
    }
  }

  private static LeaseRules.Claim claim(Job j) {
    return new LeaseRules.Claim(j.state, j.epoch, Optional.ofNullable(j.owner), j.claimed, j.expiry);
  }

  private static JobRecord record(Job j) {
    JobState state = switch (j.state) {
      case RUNNING -> JobState.RUNNING;
      case COMPLETED -> JobState.COMPLETED;
      case FAILED -> JobState.EXPIRED;
      default -> JobState.PENDING;
    };
    boolean leased = j.epoch > 0;
    return new JobRecord(j.id, j.workUnits, state, Optional.ofNullable(j.owner),
        leased ? Optional.of(Nanos.toInstant(j.granted)) : Optional.empty(),
        leased ? Optional.of(Nanos.toInstant(j.expiry)) : Optional.empty(),
        Optional.ofNullable(j.completed), Optional.ofNullable(j.proofHash), j.epoch, j.created,
        j.changed);
  }

  private static KasComputeException unknown(long jobId) {
    return new KasComputeException(
        ErrorCode.UNKNOWN_JOB, "no job has id " + Long.toUnsignedString(jobId));
  }
}
