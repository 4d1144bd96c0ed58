package io.kascompute.dag.coordinator;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.JobLease;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.jobs.JobBoard;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.LeaseStores;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** The coordinator's links to DAG compilation, the default store and the plain-job board. */
final class Integrations {
  private final JobBoard jobs;

  Integrations(Coordinator.Builder b) {
    this.jobs = b.jobBoard != null
        ? b.jobBoard
        : new JobBoard(b.jobSource, b.jobLeases, b.retainFinishedJobs);
  }

  static LeaseStore defaultStore() {
    return LeaseStores.inMemory();
  }

  DagSpec readSubmitBody(JsonObject body) {
    return DagSpec.fromSubmitBody(body);
  }

  ComputeDag compile(DagSpec spec) {
    return ComputeDag.compile(spec);
  }

  Optional<JobLease> nextJob(NodeId node, Instant now) {
    return jobs.next(node, now).map(l -> new JobLease(
        l.jobId(), l.workUnits(), Math.max(0, l.leaseExpires().getEpochSecond()), l.leaseEpoch()));
  }

  /** Completes a job with a verified proof; true if it was already completed with that proof. */
  boolean completeJob(
      long jobId, NodeId node, OptionalLong epoch, Sha256Digest proofHash, Instant now) {
    return jobs.complete(jobId, node, epoch, proofHash, now).repeat();
  }
}
