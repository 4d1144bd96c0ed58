package io.kascompute.dag.internal;

import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.TaskEntry;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.ledger.AcceptedProof;
import java.util.Optional;

/**
 * The ledger entry of a verified accepted proof ({@code docs/spec/ledger.md} section 1): a job
 * proof becomes a {@link JobEntry} in the scheme that verified it, a task proof a {@link
 * TaskEntry}, a key rotation a {@link KeyRotationEntry}; {@code accepted_unix} is the acceptance
 * (or application) instant's Unix second. Every store builds its leaves here, so that they are
 * byte for byte alike.
 */
public final class LedgerLeaves {
  private LedgerLeaves() {}

  /**
   * The entry of {@code proof}.
   *
   * @throws IllegalArgumentException if the proof did not verify (it has no entry)
   */
  public static LedgerEntry entry(AcceptedProof proof) {
    if (!proof.verified()) {
      throw new IllegalArgumentException("an unverified proof has no ledger entry");
    }
    String signature = proof.signature().orElseThrow();
    String key = proof.publicKey().orElseThrow().hex();
    long accepted = proof.accepted().getEpochSecond();
    if (proof.kind() == ProofKind.JOB) {
      JobProofPayload payload = new JobProofPayload(proof.nodeId(), proof.minerId(),
          proof.jobId().getAsLong(), proof.workUnits(), proof.workloadMode().orElseThrow(),
          proof.elapsedMs(), proof.clientVersion(), proof.ts());
      SignatureScheme scheme = proof.scheme().get();
      Optional<String> proofHash = scheme == SignatureScheme.DIGEST
          ? Optional.of(proof.proofHash().hex()) : Optional.empty();
      return new JobEntry(scheme, payload, signature, key, proofHash, accepted,
          proof.coordinator());
    }
    TaskProofPayload payload = new TaskProofPayload(proof.nodeId(), proof.runId().orElseThrow(),
        proof.taskId().orElseThrow(), proof.taskHash().orElseThrow(), proof.workUnits(),
        proof.elapsedMs(), proof.clientVersion(), proof.ts());
    return new TaskEntry(payload, signature, key, proof.proofHash().hex(), accepted,
        proof.coordinator());
  }

  /**
   * The entry of an applied key rotation.
   *
   * @throws io.kascompute.core.KasComputeException {@code malformed_hex} or {@code wrong_length}
   *     if a node rotation's signature is not 128 lowercase hex characters
   */
  public static KeyRotationEntry rotation(KeyRotation rotation) {
    KeyRotationEntry.Authority by = rotation.by() == KeyEvidence.NODE_ROTATION
        ? KeyRotationEntry.Authority.NODE : KeyRotationEntry.Authority.OPERATOR;
    return new KeyRotationEntry(rotation.nodeId(), rotation.oldKey().hex(),
        rotation.newKey().hex(), by, rotation.signature(), rotation.ts(),
        rotation.at().getEpochSecond(), rotation.coordinator());
  }
}
