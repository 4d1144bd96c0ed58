package io.kascompute.dag.coordinator;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.FailRequest;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.core.wire.RenewRequest;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.dag.ComputeDag;
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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** ComputeDAGs, runs and task leases, and verifying and crediting task proofs. */
final class RunService {
  private final LeaseStore store;
  private final IdentityService identity;
  private final ProofVerifier verifier;
  private final VerificationPolicy policy;
  private final LeasePolicy leases;
  private final Admission admission;
  private final String coordinatorId;

  RunService(LeaseStore store, IdentityService identity, ProofVerifier verifier,
      VerificationPolicy policy, LeasePolicy leases, Admission admission, String coordinatorId) {
    this.store = store;
    this.identity = identity;
    this.verifier = verifier;
    this.policy = policy;
    this.leases = leases;
    this.admission = admission;
    this.coordinatorId = coordinatorId;
  }

  ComputeDag submit(ComputeDag dag) {
    store.putDag(dag);
    return dag;
  }

  RunId createRun(DagId dag, Instant now) {
    return store.createRun(dag, now);
  }

  /**
   * The next task of the run for the node; empty, as in V1, for a node that never sent a heartbeat
   * and for an unknown run.
   */
  Optional<TaskGrant> next(RunId run, NodeId node, Instant now) {
    admission.id("node_id", node.value());
    if (!identity.known(node)) {
      return Optional.empty();
    }
    try {
      return store.next(run, node, now, leases);
    } catch (KasComputeException e) {
      if (e.code() == ErrorCode.UNKNOWN_RUN) {
        return Optional.empty();
      }
      throw e;
    }
  }

  TaskRenewal renew(RunId run, TaskId task, RenewRequest r, Instant now) {
    admission.id("node_id", r.nodeId().value());
    return store.renew(run, task, r.nodeId(), r.leaseEpoch(), now, leases);
  }

  TaskFailure fail(RunId run, TaskId task, FailRequest r, Instant now) {
    admission.id("node_id", r.nodeId().value());
    return store.fail(run, task, r.nodeId(), r.leaseEpoch(), now, leases);
  }

  /**
   * Verifies a task proof against the task's hash and work units and the node's pinned key and,
   * when it passes, completes the task, records the proof and unlocks its dependents.
   */
  TaskAcceptance submit(RunId run, TaskId task, TaskProofRequest r, Instant now) {
    NodeId node = r.nodeId();
    admission.id("node_id", node.value());
    admission.text("client_version", r.clientVersion());
    ComputeDag dag = dagOf(run);
    OptionalInt index = dag.indexOf(task);
    if (index.isEmpty()) {
      throw new KasComputeException(ErrorCode.UNKNOWN_TASK, "run " + run + " has no task " + task);
    }
    int i = index.getAsInt();
    if (r.workUnits() != dag.workUnits(i)) {
      throw new KasComputeException(ErrorCode.WORK_UNITS_MISMATCH, "task " + task + " has "
          + Long.toUnsignedString(dag.workUnits(i)) + " work units; the proof reports "
          + Long.toUnsignedString(r.workUnits()));
    }
    TaskProofPayload payload =
        r.payload(run, task, dag.taskHash(i), Math.max(0, now.getEpochSecond()));
    IdentityService.Signer signer = identity.signer(node, Optional.empty(), r.publicKeyHex());
    Optional<SignatureScheme> scheme;
    if (r.signatureHex().isEmpty()) {
      if (policy == VerificationPolicy.STRICT) {
        throw new KasComputeException(
            ErrorCode.MISSING_SIGNATURE, "the task proof carries no signature_hex");
      }
      scheme = Optional.empty();
    } else {
      scheme = Optional.of(verifier.verifyTaskProof(
          payload, r.proofHash(), r.signatureHex().get(), signer.key()).orThrow());
    }
    AcceptedProof proof = new AcceptedProof(ProofKind.TASK, node, Optional.empty(),
        OptionalLong.empty(), Optional.of(run), Optional.of(task), Optional.of(dag.taskHash(i)),
        payload.workUnits(), Optional.empty(), payload.elapsedMs(), payload.clientVersion(),
        payload.ts(), scheme, r.signatureHex().map(s -> s.toLowerCase(java.util.Locale.ROOT)),
        scheme.isPresent() ? Optional.of(signer.key().toPublicKeyBytes()) : Optional.empty(),
        payload.digest(), r.leaseEpoch().orElse(0), Optional.empty(), now, coordinatorId);
    TaskCompletion c = store.complete(run, task, node, r.leaseEpoch(), proof, now);
    if (scheme.isPresent()) {
      identity.pinAfterProof(signer, now);
    }
    return new TaskAcceptance(proof, c);
  }

  RunStatus status(RunId run) {
    return store.status(run).orElseThrow(() -> unknownRun(run));
  }

  java.util.List<TaskLeaseState> tasks(RunId run, Optional<TaskId> after, int limit) {
    return store.tasks(run, after, limit);
  }

  ComputeDag dagOf(RunId run) {
    RunStatus s = status(run);
    return dag(s.dagId());
  }

  ComputeDag dag(DagId id) {
    return store.dag(id).orElseThrow(() -> new KasComputeException(
        ErrorCode.UNKNOWN_DAG, "no DAG is stored under id " + id));
  }

  static KasComputeException unknownRun(RunId run) {
    return new KasComputeException(ErrorCode.UNKNOWN_RUN, "no run has id " + run);
  }
}
