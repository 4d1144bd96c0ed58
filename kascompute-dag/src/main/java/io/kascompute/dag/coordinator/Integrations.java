package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.JobLease;
import io.kascompute.core.wire.JobProofReceipt;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.wire.TaskProofPayload;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** The coordinator's links to the crypto, DAG-model and job modules. */
final class Integrations {
  Integrations(Coordinator.Builder b) {}

  static LeaseStore defaultStore() {
    throw new IllegalStateException("no lease store configured");
  }

  DagSpec readSubmitBody(JsonObject body) {
    throw unavailable("DAG submission");
  }

  ComputeDag compile(DagSpec spec) {
    throw unavailable("DAG compilation");
  }

  Optional<JobLease> nextJob(NodeId node, Instant now, LeasePolicy policy) {
    throw unavailable("plain jobs");
  }

  boolean completeJob(
      long jobId, NodeId node, OptionalLong epoch, Sha256Digest proofHash, Instant now) {
    throw unavailable("plain jobs");
  }

  private static KasComputeException unavailable(String what) {
    return new KasComputeException(ErrorCode.INTERNAL, what + " is not available in this build");
  }
}
