package io.kascompute.dag.coordinator;

import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an accepted job proof.
 *
 * @param proof the proof as this request was accepted (for a repeat: as it would have been)
 * @param recorded its record; for a repeat the first one, if still retained
 * @param repeat true when the same proof had already completed the job
 * @param receipt V1's receipt text and the coordinator's signature over the receipt payload
 */
public record JobAcceptance(
    AcceptedProof proof, Optional<RecordedProof> recorded, boolean repeat, Receipt receipt) {
  /** Checks that nothing is null. */
  public JobAcceptance {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(recorded, "recorded");
    Objects.requireNonNull(receipt, "receipt");
  }

  /**
   * A job receipt.
   *
   * @param text V1's {@code rcpt:<job_id>:<hex>}
   * @param acceptedUnix the acceptance time it was computed with
   * @param coordinatorPublicKeyHex the coordinator's key, when it signs receipts
   * @param coordinatorSignature its Ed25519 signature over the receipt payload's digest
   */
  public record Receipt(String text, long acceptedUnix, Optional<String> coordinatorPublicKeyHex,
      Optional<String> coordinatorSignature) {
    /** Checks that nothing is null. */
    public Receipt {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(coordinatorPublicKeyHex, "coordinatorPublicKeyHex");
      Objects.requireNonNull(coordinatorSignature, "coordinatorSignature");
    }
  }
}
