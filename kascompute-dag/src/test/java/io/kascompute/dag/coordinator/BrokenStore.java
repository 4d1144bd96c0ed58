package io.kascompute.dag.coordinator;

import io.kascompute.core.DagId;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A store with a bug: every call throws an unchecked exception that is not a KasComputeException. */
final class BrokenStore implements LeaseStore {
  private static IllegalStateException bug() {
    return new IllegalStateException("bug in the store");
  }

  @Override
  public void putDag(ComputeDag dag) {
    throw bug();
  }

  @Override
  public Optional<ComputeDag> dag(DagId id) {
    throw bug();
  }

  @Override
  public RunId createRun(DagId dag, Instant now) {
    throw bug();
  }

  @Override
  public boolean deleteRun(RunId run) {
    throw bug();
  }

  @Override
  public Optional<TaskGrant> next(RunId run, NodeId node, Instant now, LeasePolicy policy) {
    throw bug();
  }

  @Override
  public TaskRenewal renew(RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    throw bug();
  }

  @Override
  public TaskCompletion complete(RunId run, TaskId task, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now) {
    throw bug();
  }

  @Override
  public TaskFailure fail(RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy) {
    throw bug();
  }

  @Override
  public Optional<RunStatus> status(RunId run) {
    throw bug();
  }

  @Override
  public List<TaskLeaseState> tasks(RunId run, Optional<TaskId> after, int limit) {
    throw bug();
  }

  @Override
  public List<DagSummary> dags(Optional<DagId> after, int limit) {
    throw bug();
  }
}
