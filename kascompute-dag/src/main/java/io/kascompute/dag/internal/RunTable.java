package io.kascompute.dag.internal;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.core.wire.RunState;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseRules;
import io.kascompute.dag.lease.LeaseState;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One run's state in primitive arrays indexed by task index; every method holds the table's lock.
 *
 * <p>The ready queue is an int ring of capacity {@code taskCount}: a task is in it at most once,
 * and entries of tasks that left the ready states while queued (a reclaimed task completed or
 * failed by its old owner) are skipped when they reach the head.
 */
final class RunTable {
  static final byte PENDING = 0;
  static final byte READY = 1;
  /** Ready because its expired lease was reclaimed; the last owner may still complete it. */
  static final byte RECLAIMED = 2;
  static final byte RUNNING = 3;
  static final byte COMPLETED = 4;
  static final byte FAILED = 5;

  private final RunId runId;
  private final ComputeDag dag;
  private final TaskIndex taskIndex;
  private final DagId dagId;
  private final Instant created;
  private final int n;

  private final byte[] state;
  /** Grants so far: the current lease epoch, which is also the attempt count. */
  private final int[] epoch;
  /** The last owner, or null if never granted. */
  private final NodeId[] owner;
  private final long[] expiry;
  private final int[] remaining;
  /** 1 + the index of the task whose completion made this task ready, or 0. */
  private final int[] unlockedBy;
  private final Sha256Digest[] proof;

  private final int[] queue;
  private int queueHead;
  private int queueSize;

  private final ExpiryQueue leases = new ExpiryQueue();
  private long[] reclaimExpiry = new long[16];
  private int[] reclaimTask = new int[16];

  private int pending;
  private int ready;
  private int running;
  private int completed;
  private int failed;

  RunTable(RunId runId, ComputeDag dag, TaskIndex taskIndex, Instant created) {
    this.runId = runId;
    this.dag = dag;
    this.taskIndex = taskIndex;
    this.dagId = dag.id();
    this.created = created;
    this.n = dag.taskCount();
    state = new byte[n];
    epoch = new int[n];
    owner = new NodeId[n];
    expiry = new long[n];
    remaining = new int[n];
    unlockedBy = new int[n];
    proof = new Sha256Digest[n];
    queue = new int[Math.max(1, n)];
    for (int i = 0; i < n; i++) {
      remaining[i] = dag.inDegree(i);
      if (remaining[i] == 0) {
        state[i] = READY;
        enqueue(i);
        ready++;
      } else {
        pending++;
      }
    }
  }

  int index(TaskId task) {
    return InMemoryLeaseStore.indexOrRefuse(taskIndex, runId, task);
  }

  synchronized TaskGrant next(NodeId node, long now, LeasePolicy policy) {
    if (finished()) {
      throw new KasComputeException(
          ErrorCode.RUN_FINISHED, "run " + runId + " is " + runState().wireName());
    }
    reclaim(now, policy.maxAttempts());
    int t = dequeueReady();
    if (t < 0) {
      return null;
    }
    state[t] = RUNNING;
    ready--;
    running++;
    owner[t] = node;
    int e = ++epoch[t];
    long exp = Nanos.plus(now, Nanos.of(policy.leaseDuration()));
    expiry[t] = exp;
    leases.add(exp, t, e);
    return new TaskGrant(
        runId,
        dagId,
        dag.taskId(t),
        dag.taskHash(t),
        dag.workUnits(t),
        dag.taskType(t),
        Nanos.toInstant(exp),
        e,
        e);
  }

  synchronized TaskRenewal renew(int t, NodeId node, OptionalLong given, long now, LeasePolicy p) {
    LeaseRules.check(claim(t), node, given, LeaseRules.Operation.RENEW, now, what(t));
    long exp = Nanos.plus(now, Nanos.of(p.leaseDuration()));
    expiry[t] = exp;
    leases.add(exp, t, epoch[t]);
    return new TaskRenewal(runId, dag.taskId(t), Nanos.toInstant(exp), epoch[t]);
  }

  synchronized TaskCompletion complete(
      int t, NodeId node, OptionalLong given, AcceptedProof accepted, long now,
      InMemoryProofLedger ledger) {
    Sha256Digest proofHash = accepted.proofHash();
    LeaseRules.check(claim(t), node, given, LeaseRules.Operation.COMPLETE, now, what(t));
    byte s = state[t];
    if (s == COMPLETED) {
      if (!proof[t].equals(proofHash)) {
        throw LeaseRules.alreadyCompleted(what(t));
      }
      List<TaskId> unlocked = new ArrayList<>();
      for (int k = 0, c = dag.dependentCount(t); k < c; k++) {
        int d = dag.dependent(t, k);
        if (unlockedBy[d] == t + 1) {
          unlocked.add(dag.taskId(d));
        }
      }
      return new TaskCompletion(runId, dag.taskId(t), unlocked, ledger.find(proofHash), true);
    }
    RecordedProof recorded = ledger.append(accepted, what(t));
    if (s == RUNNING) {
      running--;
    } else {
      ready--;
    }
    state[t] = COMPLETED;
    completed++;
    proof[t] = proofHash;
    int c = dag.dependentCount(t);
    List<TaskId> unlocked = c == 0 ? List.of() : new ArrayList<>();
    for (int k = 0; k < c; k++) {
      int d = dag.dependent(t, k);
      if (--remaining[d] == 0) {
        state[d] = READY;
        unlockedBy[d] = t + 1;
        pending--;
        ready++;
        enqueue(d);
        unlocked.add(dag.taskId(d));
      }
    }
    return new TaskCompletion(runId, dag.taskId(t), unlocked, Optional.of(recorded), false);
  }

  synchronized TaskFailure fail(
      int t, NodeId node, OptionalLong given, long now, LeasePolicy policy) {
    LeaseRules.check(claim(t), node, given, LeaseRules.Operation.FAIL, now, what(t));
    byte s = state[t];
    boolean exhausted = epoch[t] >= policy.maxAttempts();
    if (s == RUNNING) {
      running--;
      if (exhausted) {
        state[t] = FAILED;
        failed++;
      } else {
        state[t] = READY;
        ready++;
        enqueue(t);
      }
    } else if (exhausted) {
      ready--;
      state[t] = FAILED;
      failed++;
    } else {
      state[t] = READY;
    }
    return new TaskFailure(runId, dag.taskId(t), exhausted, epoch[t]);
  }

  synchronized List<TaskLeaseState> tasks(int from, int limit) {
    List<TaskLeaseState> out = new ArrayList<>(Math.max(0, Math.min(limit, n - from)));
    for (int t = from; t < n && out.size() < limit; t++) {
      boolean leased = state[t] == RUNNING;
      out.add(new TaskLeaseState(dag.taskId(t), claim(t).state(),
          leased ? Optional.of(owner[t]) : Optional.empty(),
          leased ? Optional.of(Nanos.toInstant(expiry[t])) : Optional.empty(), epoch[t]));
    }
    return out;
  }

  synchronized RunStatus status() {
    return new RunStatus(
        runId,
        dagId,
        dag.rootHash(),
        dag.name(),
        created,
        n,
        pending,
        ready,
        running,
        completed,
        failed,
        runState());
  }

  /** The task's lease as the shared rules see it. */
  private LeaseRules.Claim claim(int t) {
    LeaseState ls = switch (state[t]) {
      case PENDING -> LeaseState.PENDING;
      case READY, RECLAIMED -> LeaseState.READY;
      case RUNNING -> LeaseState.RUNNING;
      case COMPLETED -> LeaseState.COMPLETED;
      default -> LeaseState.FAILED;
    };
    return new LeaseRules.Claim(ls, epoch[t], Optional.ofNullable(owner[t]), state[t] == RECLAIMED,
        expiry[t]);
  }

  private String what(int t) {
    return "task " + dag.taskId(t) + " of run " + runId;
  }

  private void reclaim(long now, int maxAttempts) {
    int count = 0;
    while (!leases.isEmpty()) {
      long exp = leases.peekExpiry();
      long key = leases.peekKey();
      int t = ExpiryQueue.task(key);
      boolean live = state[t] == RUNNING && epoch[t] == ExpiryQueue.epoch(key) && expiry[t] == exp;
      if (live && exp > now) {
        break;
      }
      leases.pop();
      if (live) {
        if (count == reclaimTask.length) {
          reclaimTask = Arrays.copyOf(reclaimTask, count * 2);
          reclaimExpiry = Arrays.copyOf(reclaimExpiry, count * 2);
        }
        reclaimTask[count] = t;
        reclaimExpiry[count] = exp;
        state[t] = RECLAIMED; // marks the task so a duplicate entry is no longer live
        count++;
      }
    }
    // Entries come out in non-decreasing expiry; ties go in task-id order (= index order).
    for (int from = 0; from < count; ) {
      int to = from + 1;
      while (to < count && reclaimExpiry[to] == reclaimExpiry[from]) {
        to++;
      }
      Arrays.sort(reclaimTask, from, to);
      from = to;
    }
    for (int i = 0; i < count; i++) {
      int t = reclaimTask[i];
      running--;
      if (epoch[t] >= maxAttempts) {
        state[t] = FAILED;
        failed++;
      } else {
        ready++;
        enqueue(t);
      }
    }
  }

  private void enqueue(int t) {
    queue[(queueHead + queueSize) % queue.length] = t;
    queueSize++;
  }

  private int dequeueReady() {
    while (queueSize > 0) {
      int t = queue[queueHead];
      queueHead = queueHead + 1 == queue.length ? 0 : queueHead + 1;
      queueSize--;
      if (state[t] == READY || state[t] == RECLAIMED) {
        return t;
      }
    }
    return -1;
  }

  synchronized boolean finished() {
    return runState().finished();
  }

  RunId runId() {
    return runId;
  }

  int taskCount() {
    return n;
  }

  private RunState runState() {
    return LeaseRules.runState(n, ready, running, completed, failed);
  }
}
