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
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link LeaseStore}: DAGs and runs in concurrent maps, each run's state in
 * primitive arrays guarded by the run's own lock.
 */
public final class InMemoryLeaseStore implements LeaseStore {
  private final InMemoryProofLedger ledger;
  private final ConcurrentSkipListMap<DagId, ComputeDag> dags = new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<DagId, TaskIndex> indexes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RunId, RunTable> runs = new ConcurrentHashMap<>();
  private final AtomicLong runSequence = new AtomicLong();

  /** Creates an empty store that records accepted task proofs in {@code ledger}. */
  public InMemoryLeaseStore(InMemoryProofLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  @Override
  public void putDag(ComputeDag dag) {
    Objects.requireNonNull(dag, "dag");
    dags.putIfAbsent(dag.id(), dag);
  }

  @Override
  public Optional<ComputeDag> dag(DagId id) {
    return Optional.ofNullable(dags.get(Objects.requireNonNull(id, "id")));
  }

  @Override
  public RunId createRun(DagId dagId, Instant now) {
    Objects.requireNonNull(now, "now");
    ComputeDag dag = dags.get(Objects.requireNonNull(dagId, "dag"));
    if (dag == null) {
      throw new KasComputeException(ErrorCode.UNKNOWN_DAG, "no DAG is stored under id " + dagId);
    }
    RunId id = RunId.of("run-" + dagId.value() + "-" + runSequence.incrementAndGet());
    TaskIndex index = indexes.computeIfAbsent(dagId, k -> new TaskIndex(dag));
    runs.put(id, new RunTable(id, dag, index, now));
    return id;
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
