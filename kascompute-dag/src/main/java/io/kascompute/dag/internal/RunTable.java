package io.kascompute.dag.internal;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
          ErrorCode.RUN_FINISHED, "run " + runId + " is " + runState().name().toLowerCase());
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
    checkClaim(t, node, given);
    byte s = state[t];
    if (s == RECLAIMED || (s == RUNNING && now >= expiry[t])) {
      throw refuse(ErrorCode.LEASE_EXPIRED, t, "the lease expired at " + Nanos.toInstant(expiry[t]));
    }
    if (s == COMPLETED) {
      throw refuse(ErrorCode.ALREADY_COMPLETED, t, "the task is already completed");
    }
    if (s != RUNNING) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, t, "the task is " + stateName(s));
    }
    long exp = Nanos.plus(now, Nanos.of(p.leaseDuration()));
    expiry[t] = exp;
    leases.add(exp, t, epoch[t]);
    return new TaskRenewal(runId, dag.taskId(t), Nanos.toInstant(exp), epoch[t]);
  }

  synchronized TaskCompletion complete(
      int t, NodeId node, OptionalLong given, Sha256Digest proofHash) {
    checkClaim(t, node, given);
    byte s = state[t];
    if (s == COMPLETED) {
      if (!proof[t].equals(proofHash)) {
        throw refuse(ErrorCode.ALREADY_COMPLETED, t, "the task is already completed with another proof");
      }
      List<TaskId> unlocked = new ArrayList<>();
      for (int k = 0, c = dag.dependentCount(t); k < c; k++) {
        int d = dag.dependent(t, k);
        if (unlockedBy[d] == t + 1) {
          unlocked.add(dag.taskId(d));
        }
      }
      return new TaskCompletion(runId, dag.taskId(t), unlocked, true);
    }
    if (s != RUNNING && s != RECLAIMED) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, t, "the task is " + stateName(s));
    }
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
    return new TaskCompletion(runId, dag.taskId(t), unlocked, false);
  }

  synchronized TaskFailure fail(int t, NodeId node, OptionalLong given, LeasePolicy policy) {
    checkClaim(t, node, given);
    byte s = state[t];
    if (s == COMPLETED) {
      throw refuse(ErrorCode.ALREADY_COMPLETED, t, "the task is already completed");
    }
    if (s != RUNNING && s != RECLAIMED) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, t, "the task is " + stateName(s));
    }
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

  /** The order of checks shared by renew, complete and fail, up to NOT_OWNER. */
  private void checkClaim(int t, NodeId node, OptionalLong given) {
    if (epoch[t] == 0) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, t, "the task was never granted");
    }
    if (given.isPresent() && given.getAsLong() != epoch[t]) {
      throw refuse(
          ErrorCode.STALE_LEASE,
          t,
          "lease epoch " + given.getAsLong() + " is not the current epoch " + epoch[t]);
    }
    NodeId last = owner[t];
    if (last != node && !last.equals(node)) {
      throw refuse(ErrorCode.NOT_OWNER, t, "node " + node + " does not hold the lease; " + last + " does");
    }
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

  private boolean finished() {
    return completed == n || (failed > 0 && ready == 0 && running == 0);
  }

  private RunStatus.RunState runState() {
    if (completed == n) {
      return RunStatus.RunState.COMPLETED;
    }
    return failed > 0 && ready == 0 && running == 0
        ? RunStatus.RunState.FAILED
        : RunStatus.RunState.RUNNING;
  }

  private KasComputeException refuse(ErrorCode code, int t, String why) {
    return InMemoryLeaseStore.refuse(code, runId, dag.taskId(t), why);
  }

  private static String stateName(byte s) {
    switch (s) {
      case PENDING:
        return "pending";
      case READY:
        return "ready and not leased to this node";
      case FAILED:
        return "failed";
      default:
        return "in state " + s;
    }
  }
}
