package io.kascompute.dag.coordinator;

import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.presence.GeoLocation;
import io.kascompute.core.wire.DagSpecView;
import io.kascompute.core.wire.DagSubmitResponse;
import io.kascompute.core.wire.DagView;
import io.kascompute.core.wire.HeartbeatResponse;
import io.kascompute.core.wire.JobLease;
import io.kascompute.core.wire.JobNextResponse;
import io.kascompute.core.wire.JobProofReceipt;
import io.kascompute.core.wire.JobState;
import io.kascompute.core.wire.JobView;
import io.kascompute.core.wire.ProofView;
import io.kascompute.core.wire.RecentJob;
import io.kascompute.core.wire.RenewResponse;
import io.kascompute.core.wire.RunCreated;
import io.kascompute.core.wire.RunStatusResponse;
import io.kascompute.core.wire.RunTaskView;
import io.kascompute.core.wire.TaskFailed;
import io.kascompute.core.wire.TaskLease;
import io.kascompute.core.wire.TaskNextResponse;
import io.kascompute.core.wire.TaskProofAccepted;
import io.kascompute.core.wire.NodeView;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.directory.NodeRecord;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.lease.DagSummary;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Turns the coordinator's domain records into the wire records of the V1 endpoints. */
final class WireMapper {
  private WireMapper() {}

  static long unix(Instant t) {
    return Math.max(0, t.getEpochSecond());
  }

  static HeartbeatResponse heartbeat(NodeRecord r) {
    return new HeartbeatResponse(r.pinned());
  }

  static JobNextResponse jobNext(Optional<JobGrant> g) {
    return new JobNextResponse(g.map(j -> new JobLease(
        j.jobId(), j.workUnits(), unix(j.leaseExpires()), j.leaseEpoch())));
  }

  static JobProofReceipt receipt(JobAcceptance a) {
    OptionalLong index = a.recorded().map(RecordedProof::ledgerIndex).orElse(OptionalLong.empty());
    JobAcceptance.Receipt r = a.receipt();
    return new JobProofReceipt(r.text(), a.proof().verified(), a.proof().scheme(), r.acceptedUnix(),
        a.repeat(), index, r.coordinatorPublicKeyHex(), r.coordinatorSignature());
  }

  static DagSubmitResponse dagSubmitted(ComputeDag dag) {
    return new DagSubmitResponse(dag.id(), dag.rootHash(), dag.taskCount());
  }

  static RunCreated runCreated(RunId run) {
    return new RunCreated(run);
  }

  static TaskNextResponse taskNext(Optional<TaskGrant> g) {
    return new TaskNextResponse(g.map(t -> new TaskLease(t.runId(), t.dagId(), t.taskId(),
        t.taskHash(), t.workUnits(), t.taskType(), unix(t.leaseExpires()), t.leaseEpoch())));
  }

  static RenewResponse renewed(TaskRenewal r) {
    return new RenewResponse(r.runId(), r.taskId(), unix(r.leaseExpires()), r.leaseEpoch());
  }

  static TaskProofAccepted taskAccepted(TaskAcceptance a) {
    var c = a.completion();
    OptionalLong index = c.recorded().map(RecordedProof::ledgerIndex).orElse(OptionalLong.empty());
    return new TaskProofAccepted(c.runId(), c.taskId(), c.unlocked(), a.proof().proofHash(),
        a.proof().verified(), a.proof().scheme(), c.repeat(), index);
  }

  static TaskFailed taskFailed(TaskFailure f) {
    return new TaskFailed(f.runId(), f.taskId(), f.attemptsExhausted(), f.attempts());
  }

  static RunStatusResponse runStatus(RunStatus s) {
    return new RunStatusResponse(s.runId(), s.dagId(), s.dagRootHash(), s.name(), unix(s.created()),
        s.tasksTotal(), s.tasksPending(), s.tasksReady(), s.tasksRunning(), s.tasksCompleted(),
        s.tasksFailed(), s.state());
  }

  static NodeView node(NodeRecord r, Instant now, Duration onlineTtl) {
    Instant online = now.minus(onlineTtl);
    Optional<GeoLocation> g = r.geo();
    return new NodeView(r.nodeId(), r.key().hex(), r.pinned(), r.roles(), r.computeProfile(),
        Optional.of(r.clientVersion()),
        g.map(GeoLocation::latitude).orElse(OptionalDouble.empty()),
        g.map(GeoLocation::longitude).orElse(OptionalDouble.empty()),
        g.flatMap(GeoLocation::country), unix(r.firstSeen()), unix(r.lastSeen()),
        r.lastSeen().isAfter(online), secondsSince(r.lastSeen(), now),
        r.lastSeenAsNode().filter(t -> t.isAfter(online)).isPresent(),
        r.lastSeenAsMiner().filter(t -> t.isAfter(online)).isPresent(),
        r.lastSeenAsNode().map(t -> OptionalLong.of(secondsSince(t, now))).orElse(OptionalLong.empty()),
        r.lastSeenAsMiner().map(t -> OptionalLong.of(secondsSince(t, now))).orElse(OptionalLong.empty()));
  }

  static JobView job(JobRecord j) {
    boolean running = j.state() == JobState.RUNNING;
    return new JobView(j.jobId(), j.workUnits(), j.state(), j.owner(),
        j.granted().map(t -> OptionalLong.of(unix(t))).orElse(OptionalLong.empty()),
        running ? OptionalLong.of(unix(j.leaseExpires().orElseThrow())) : OptionalLong.empty(),
        j.completed().map(t -> OptionalLong.of(unix(t))).orElse(OptionalLong.empty()),
        (int) Math.min(Integer.MAX_VALUE, j.leaseEpoch()), j.leaseEpoch());
  }

  static RecentJob recentJob(JobRecord j, Optional<RecordedProof> proof) {
    return new RecentJob(job(j), proof.map(WireMapper::proof).map(List::of).orElse(List.of()));
  }

  static ProofView proof(RecordedProof r) {
    AcceptedProof p = r.proof();
    return new ProofView(r.seq(), p.kind(), p.nodeId(), p.minerId(), p.jobId(), p.runId(),
        p.taskId(), p.workUnits(), p.elapsedMs(), p.scheme(), p.verified(), unix(p.accepted()),
        p.coordinator(), r.ledgerIndex());
  }

  static DagView dag(DagSummary d) {
    return new DagView(d.dagId(), d.rootHash(), d.name(), d.tasks(), d.edges());
  }

  static DagView dag(ComputeDag d) {
    return new DagView(d.id(), d.rootHash(), d.name(), d.taskCount(), d.edgeCount());
  }

  /** The tasks of the DAG from index {@code from}, at most {@code limit}, with their out-edges. */
  static DagSpecView dagSpec(ComputeDag d, int from, int limit) {
    List<DagSpecView.Task> nodes = new java.util.ArrayList<>();
    List<DagSpecView.Edge> edges = new java.util.ArrayList<>();
    for (int i = from; i < d.taskCount() && nodes.size() < limit; i++) {
      nodes.add(new DagSpecView.Task(d.taskId(i), d.workUnits(i), d.rawTaskType(i), d.params(i)));
      for (int k = 0; k < d.dependentCount(i); k++) {
        edges.add(new DagSpecView.Edge(d.taskId(i), d.taskId(d.dependent(i, k))));
      }
    }
    return new DagSpecView(d.name(), nodes, edges);
  }

  static RunTaskView runTask(TaskLeaseState t, ComputeDag dag) {
    TaskId id = t.taskId();
    return new RunTaskView(id, dag.taskHash(dag.indexOf(id).orElseThrow()), t.state().view(),
        t.owner(), t.leaseExpires().map(e -> OptionalLong.of(unix(e))).orElse(OptionalLong.empty()),
        t.leaseEpoch(), (int) Math.min(Integer.MAX_VALUE, t.leaseEpoch()));
  }

  private static long secondsSince(Instant t, Instant now) {
    return Math.max(0, now.getEpochSecond() - t.getEpochSecond());
  }
}
