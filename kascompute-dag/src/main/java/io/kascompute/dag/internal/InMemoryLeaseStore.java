package io.kascompute.dag.internal;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.DagSummary;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.StoreLimits;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link LeaseStore}: DAGs and runs in concurrent maps, each run's state in
 * primitive arrays guarded by the run's own lock; creating runs and storing DAGs, which enforce
 * the {@link StoreLimits}, take the store's lock.
 */
public final class InMemoryLeaseStore implements LeaseStore {
  private final InMemoryProofLedger ledger;
  private final StoreLimits limits;
  private final ConcurrentSkipListMap<DagId, ComputeDag> dags = new ConcurrentSkipListMap<>();
  /** DAG ids in the order they were stored, for deleting unused ones oldest first. */
  private final LinkedHashMap<DagId, Integer> dagOrder = new LinkedHashMap<>();
  private final ConcurrentHashMap<DagId, TaskIndex> indexes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RunId, RunTable> runs = new ConcurrentHashMap<>();
  /** Run ids in creation order, for deleting finished ones oldest first. */
  private final LinkedHashMap<RunId, DagId> runOrder = new LinkedHashMap<>();
  private final AtomicLong runSequence = new AtomicLong();
  private long dagTasks;
  private long runTasks;

  /** Creates an empty store that records accepted task proofs in {@code ledger}. */
  public InMemoryLeaseStore(InMemoryProofLedger ledger, StoreLimits limits) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public synchronized void putDag(ComputeDag dag) {
    Objects.requireNonNull(dag, "dag");
    if (dags.containsKey(dag.id())) {
      return;
    }
    int tasks = dag.taskCount();
    if (dagTasks + tasks > limits.maxDagTasks()) {
      Set<DagId> used = new HashSet<>(runOrder.values());
      long unused = 0;
      for (Map.Entry<DagId, Integer> e : dagOrder.entrySet()) {
        unused += used.contains(e.getKey()) ? 0 : e.getValue();
      }
      if (dagTasks - unused + tasks > limits.maxDagTasks()) {
        throw new KasComputeException(ErrorCode.STORE_FULL, "the store holds DAGs of "
            + (dagTasks - unused) + " tasks in use by kept runs; this one has " + tasks
            + " and the bound is " + limits.maxDagTasks() + "; delete finished runs first");
      }
      Iterator<Map.Entry<DagId, Integer>> it = dagOrder.entrySet().iterator();
      while (dagTasks + tasks > limits.maxDagTasks()) {
        Map.Entry<DagId, Integer> e = it.next();
        if (!used.contains(e.getKey())) {
          dags.remove(e.getKey());
          indexes.remove(e.getKey());
          dagTasks -= e.getValue();
          it.remove();
        }
      }
    }
    dags.put(dag.id(), dag);
    dagOrder.put(dag.id(), tasks);
    dagTasks += tasks;
  }

  @Override
  public Optional<ComputeDag> dag(DagId id) {
    return Optional.ofNullable(dags.get(Objects.requireNonNull(id, "id")));
  }

  @Override
  public synchronized RunId createRun(DagId dagId, Instant now) {
    Objects.requireNonNull(now, "now");
    ComputeDag dag = dags.get(Objects.requireNonNull(dagId, "dag"));
    if (dag == null) {
      throw new KasComputeException(ErrorCode.UNKNOWN_DAG, "no DAG is stored under id " + dagId);
    }
    int live = 0;
    int liveOfDag = 0;
    for (Map.Entry<RunId, DagId> e : runOrder.entrySet()) {
      if (!runs.get(e.getKey()).finished()) {
        live++;
        liveOfDag += e.getValue().equals(dagId) ? 1 : 0;
      }
    }
    if (live >= limits.maxLiveRuns() || liveOfDag >= limits.maxLiveRunsPerDag()) {
      throw new KasComputeException(ErrorCode.TOO_MANY_RUNS, live >= limits.maxLiveRuns()
          ? "the store runs its maximum of " + limits.maxLiveRuns() + " live runs"
          : "DAG " + dagId + " has its maximum of " + limits.maxLiveRunsPerDag() + " live runs");
    }
    int tasks = dag.taskCount();
    if (runOrder.size() >= limits.maxRetainedRuns() || runTasks + tasks > limits.maxRetainedTasks()) {
      int finishedRuns = 0;
      long finishedTasks = 0;
      for (RunId r : runOrder.keySet()) {
        RunTable t = runs.get(r);
        if (t.finished()) {
          finishedRuns++;
          finishedTasks += t.taskCount();
        }
      }
      if (runOrder.size() - finishedRuns >= limits.maxRetainedRuns()
          || runTasks - finishedTasks + tasks > limits.maxRetainedTasks()) {
        throw new KasComputeException(ErrorCode.STORE_FULL, "live runs hold "
            + (runTasks - finishedTasks) + " tasks; a run of " + tasks
            + " more does not fit the bound of " + limits.maxRetainedTasks());
      }
      Iterator<RunId> it = runOrder.keySet().iterator();
      while (runOrder.size() >= limits.maxRetainedRuns()
          || runTasks + tasks > limits.maxRetainedTasks()) {
        RunTable old = runs.get(it.next());
        if (old.finished()) {
          it.remove();
          runs.remove(old.runId());
          runTasks -= old.taskCount();
        }
      }
    }
    RunId id = RunId.of("run-" + dagId.value() + "-" + runSequence.incrementAndGet());
    TaskIndex index = indexes.computeIfAbsent(dagId, k -> new TaskIndex(dag));
    runs.put(id, new RunTable(id, dag, index, now));
    runOrder.put(id, dagId);
    runTasks += tasks;
    return id;
  }

  @Override
  public synchronized boolean deleteRun(RunId run) {
    RunTable table = runs.get(Objects.requireNonNull(run, "run"));
    if (table == null) {
      return false;
    }
    if (!table.finished()) {
      throw new KasComputeException(
          ErrorCode.RUN_NOT_FINISHED, "run " + run + " is still running; only finished runs are deleted");
    }
    runs.remove(run);
    runOrder.remove(run);
    runTasks -= table.taskCount();
    return true;
  }

  @Override
  public Optional<TaskGrant> next(RunId run, NodeId node, Instant now, LeasePolicy policy) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(policy, "policy");
    return Optional.ofNullable(table(run).next(node, Nanos.of(now), policy));
  }

  @Override
  public TaskRenewal renew(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    RunTable table = table(run);
    int index = table.index(task);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(policy, "policy");
    return table.renew(index, node, epoch, Nanos.of(Objects.requireNonNull(now, "now")), policy);
  }

  @Override
  public TaskCompletion complete(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now) {
    RunTable table = table(run);
    int index = table.index(task);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(proof, "proof");
    return table.complete(index, node, epoch, proof, Nanos.of(Objects.requireNonNull(now, "now")),
        ledger);
  }

  @Override
  public TaskFailure fail(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    RunTable table = table(run);
    int index = table.index(task);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(policy, "policy");
    return table.fail(index, node, epoch, Nanos.of(Objects.requireNonNull(now, "now")), policy);
  }

  @Override
  public Optional<RunStatus> status(RunId run) {
    RunTable table = runs.get(Objects.requireNonNull(run, "run"));
    return table == null ? Optional.empty() : Optional.of(table.status());
  }

  @Override
  public List<TaskLeaseState> tasks(RunId run, Optional<TaskId> after, int limit) {
    RunTable table = table(run);
    int from = after.isPresent() ? table.index(after.get()) + 1 : 0;
    return table.tasks(from, limit);
  }

  @Override
  public List<DagSummary> dags(Optional<DagId> after, int limit) {
    var tail = after.isPresent() ? dags.tailMap(after.get(), false) : dags;
    List<DagSummary> out = new ArrayList<>(Math.min(limit, 64));
    for (ComputeDag d : tail.values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(new DagSummary(d.id(), d.rootHash(), d.name(), d.taskCount(), d.edgeCount()));
    }
    return out;
  }

  private RunTable table(RunId run) {
    RunTable table = runs.get(Objects.requireNonNull(run, "run"));
    if (table == null) {
      throw new KasComputeException(ErrorCode.UNKNOWN_RUN, "no run has id " + run);
    }
    return table;
  }

  /** Looks a task up by id, or refuses with UNKNOWN_TASK. */
  static int indexOrRefuse(TaskIndex index, RunId run, TaskId task) {
    int t = index.indexOf(Objects.requireNonNull(task, "task"));
    if (t < 0) {
      throw new KasComputeException(ErrorCode.UNKNOWN_TASK, "run " + run + " has no task " + task);
    }
    return t;
  }
}
