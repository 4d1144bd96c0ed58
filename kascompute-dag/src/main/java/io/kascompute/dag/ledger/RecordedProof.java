package io.kascompute.dag.ledger;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * An accepted proof with its place in the record.
 *
 * @param seq the proof's position in the record, from 0, in acceptance order across every
 *     coordinator sharing the store
 * @param ledgerIndex its index in the verifiable log, for a verified proof when the store keeps one
 */
public record RecordedProof(long seq, OptionalLong ledgerIndex, AcceptedProof proof) {
  /** Checks that nothing is null. */
  public RecordedProof {
    Objects.requireNonNull(ledgerIndex, "ledgerIndex");
    Objects.requireNonNull(proof, "proof");
  }
}
