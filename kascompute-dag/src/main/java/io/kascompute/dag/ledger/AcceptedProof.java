package io.kascompute.dag.ledger;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.ProofKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An accepted job or task proof as a coordinator records it: every signed field with V1's defaults
 * applied, the scheme it verified in, the pinned key it verified against, and where and when it
 * was accepted — enough to re-verify it offline.
 *
 * @param minerId the v1.1.1 {@code miner_id}, whose pinned key signed for the node
 * @param jobId set for job proofs
 * @param runId set for task proofs, with {@code taskId} and {@code taskHash}
 * @param workloadMode set for job proofs
 * @param scheme the scheme that verified; empty for a proof a {@code V1_COMPAT} coordinator
 *     accepted unverified
 * @param signature the proof's signature as lowercase hex, when it had one
 * @param publicKey the pinned key the signature verified against (the miner's with a miner id)
 * @param proofHash the proof's identity: SHA-256 of the digest-scheme payload, or of the launcher
 *     message for a launcher-scheme proof; an identical proof has the same hash
 * @param leaseEpoch the lease epoch the proof completed
 * @param assigned when the job lease it completed was granted (job proofs)
 * @param coordinator the id of the coordinator that accepted it
 */
public record AcceptedProof(
    ProofKind kind,
    NodeId nodeId,
    Optional<String> minerId,
    OptionalLong jobId,
    Optional<RunId> runId,
    Optional<TaskId> taskId,
    Optional<Sha256Digest> taskHash,
    long workUnits,
    Optional<String> workloadMode,
    long elapsedMs,
    String clientVersion,
    long ts,
    Optional<SignatureScheme> scheme,
    Optional<String> signature,
    Optional<PublicKeyBytes> publicKey,
    Sha256Digest proofHash,
    long leaseEpoch,
    Optional<Instant> assigned,
    Instant accepted,
    String coordinator) {

  /** Checks that nothing is null and that the fields fit the kind. */
  public AcceptedProof {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(minerId, "minerId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskHash, "taskHash");
    Objects.requireNonNull(workloadMode, "workloadMode");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(assigned, "assigned");
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(coordinator, "coordinator");
    boolean job = kind == ProofKind.JOB;
    if (jobId.isPresent() != job || runId.isPresent() == job || taskId.isPresent() == job
        || taskHash.isPresent() == job || workloadMode.isPresent() != job) {
      throw new IllegalArgumentException("the fields of a " + kind.wireName() + " proof do not fit");
    }
    if (scheme.isPresent() && (signature.isEmpty() || publicKey.isEmpty())) {
      throw new IllegalArgumentException("a verified proof has a signature and a key");
    }
  }

  /** Whether the signature verified (false only for a {@code V1_COMPAT} acceptance). */
  public boolean verified() {
    return scheme.isPresent();
  }

  /**
   * V1's job time: whole seconds from the job lease's grant to the acceptance, times 1000 (0 if
   * unknown or negative).
   */
  public long leaseMillis() {
    return assigned.map(a -> Math.max(0, accepted.getEpochSecond() - a.getEpochSecond()) * 1000)
        .orElse(0L);
  }
}
