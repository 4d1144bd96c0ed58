package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import io.kascompute.dag.jobs.JobCompletion;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.jobs.JobStore;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Plain jobs: leasing, and verifying and crediting job proofs in either scheme. */
final class JobService {
  /** The failures {@link VerificationPolicy#V1_COMPAT} tolerates in a job proof. */
  private static final Set<ErrorCode> SIGNATURE_FAILURES = EnumSet.of(
      ErrorCode.BAD_SIGNATURE, ErrorCode.MALFORMED_HEX, ErrorCode.WRONG_LENGTH);

  private final JobStore jobs;
  private final IdentityService identity;
  private final ProofVerifier verifier;
  private final VerificationPolicy policy;
  private final LeasePolicy leases;
  private final Admission admission;
  private final Receipts receipts;
  private final String coordinatorId;

  JobService(JobStore jobs, IdentityService identity, ProofVerifier verifier,
      VerificationPolicy policy, LeasePolicy leases, Admission admission, Receipts receipts,
      String coordinatorId) {
    this.jobs = jobs;
    this.identity = identity;
    this.verifier = verifier;
    this.policy = policy;
    this.leases = leases;
    this.admission = admission;
    this.receipts = receipts;
    this.coordinatorId = coordinatorId;
  }

  Optional<JobGrant> next(NodeId node, Instant now) {
    admission.id("node_id", node.value());
    if (!identity.known(node)) {
      return Optional.empty();
    }
    return jobs.next(node, now, leases);
  }

  /**
   * Verifies a job proof and, when it passes, completes the job and records the proof.
   *
   * @param pathJobId the job id of the route, if it has one (a body {@code job_id} must match)
   */
  JobAcceptance submit(OptionalLong pathJobId, JobProofRequest r, Instant now) {
    NodeId node = r.nodeId();
    admission.id("node_id", node.value());
    admission.text("client_version", r.clientVersion());
    admission.text("workload_mode", r.workloadMode());
    long jobId = jobId(pathJobId, r.jobId());
    JobRecord job = jobs.job(jobId).orElseThrow(() -> new KasComputeException(
        ErrorCode.UNKNOWN_JOB, "no job has id " + Long.toUnsignedString(jobId)));
    if (Long.compareUnsigned(r.workUnits(), job.workUnits()) > 0) {
      throw new KasComputeException(ErrorCode.WORK_UNITS_MISMATCH, "job "
          + Long.toUnsignedString(jobId) + " was leased with " + Long.toUnsignedString(job.workUnits())
          + " work units; the proof claims " + Long.toUnsignedString(r.workUnits()));
    }
    Instant granted = job.granted().orElse(now);
    long defaultElapsed = Math.max(0, now.getEpochSecond() - granted.getEpochSecond()) * 1000;
    JobProofPayload payload = r.payload(jobId, Math.max(0, now.getEpochSecond()), defaultElapsed);
    IdentityService.Signer signer = identity.signer(node, r.minerId(), r.publicKeyHex());

    Optional<SignatureScheme> scheme = verify(r, payload, jobId, now, defaultElapsed, signer);
    Sha256Digest identityHash = scheme.filter(s -> s == SignatureScheme.LAUNCHER).isPresent()
        ? Sha256Digest.hash(io.kascompute.core.payload.LauncherJobProof.of(payload).message())
        : payload.digest();
    AcceptedProof proof = new AcceptedProof(ProofKind.JOB, node, payload.minerId(),
        OptionalLong.of(jobId), Optional.empty(), Optional.empty(), Optional.empty(),
        payload.workUnits(), Optional.of(payload.workloadMode()), payload.elapsedMs(),
        payload.clientVersion(), payload.ts(), scheme,
        r.signatureHex().map(s -> s.toLowerCase(java.util.Locale.ROOT)),
        scheme.isPresent() ? Optional.of(signer.key().toPublicKeyBytes()) : Optional.empty(),
        identityHash, r.leaseEpoch().orElse(job.leaseEpoch()), Optional.of(granted), now,
        coordinatorId);
    JobCompletion c = jobs.complete(jobId, node, r.leaseEpoch(), proof, now);
    if (scheme.isPresent()) {
      identity.pinAfterProof(signer, now);
    }
    return new JobAcceptance(proof, c.recorded(), c.repeat(), receipts.receipt(proof, c.recorded()));
  }

  /** The scheme the proof verified in, or empty for an unverified acceptance under V1_COMPAT. */
  private Optional<SignatureScheme> verify(JobProofRequest r, JobProofPayload payload, long jobId,
      Instant now, long defaultElapsed, IdentityService.Signer signer) {
    Optional<JobProofSubmission> s =
        r.submission(jobId, Math.max(0, now.getEpochSecond()), defaultElapsed);
    boolean mustVerify = policy == VerificationPolicy.STRICT || r.fromLauncher();
    if (s.isEmpty()) {
      if (mustVerify) {
        throw new KasComputeException(ErrorCode.MISSING_SIGNATURE,
            "the job proof carries no signature_hex");
      }
      return Optional.empty();
    }
    Verdict v = verifier.verifyJobProof(s.get(), signer.key(), EnumSet.allOf(SignatureScheme.class));
    if (v instanceof Verdict.Valid valid) {
      return Optional.of(valid.signedWith());
    }
    ErrorCode reason = v.reason().orElseThrow();
    if (mustVerify || !SIGNATURE_FAILURES.contains(reason)) {
      v.orThrow();
    }
    return Optional.empty();
  }

  private static long jobId(OptionalLong path, OptionalLong body) {
    if (path.isPresent()) {
      if (body.isPresent() && body.getAsLong() != path.getAsLong()) {
        throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
            "job_id " + Long.toUnsignedString(body.getAsLong())
                + " differs from the job id in the path " + Long.toUnsignedString(path.getAsLong()));
      }
      return path.getAsLong();
    }
    return body.orElseThrow(() -> new KasComputeException(
        ErrorCode.MISSING_FIELD, "field job_id is required"));
  }
}
