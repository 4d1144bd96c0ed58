package io.kascompute.dag.coordinator;

import io.kascompute.core.HexCodec;
import io.kascompute.core.payload.JobReceiptPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import java.util.Optional;
import java.util.OptionalLong;

/** Job receipts: V1's receipt text, and the coordinator's signature when it has a key. */
final class Receipts {
  private final Optional<NodeKeyPair> key;

  Receipts(Optional<NodeKeyPair> key) {
    this.key = key;
  }

  Optional<NodeKeyPair> key() {
    return key;
  }

  /** The receipt of a proof accepted at {@code acceptedUnix} (the first acceptance, for a repeat). */
  JobAcceptance.Receipt receipt(AcceptedProof p, Optional<RecordedProof> recorded) {
    long acceptedUnix = Math.max(0,
        recorded.map(r -> r.proof().accepted()).orElse(p.accepted()).getEpochSecond());
    long jobId = p.jobId().getAsLong();
    String text = JobReceiptPayload.v1Receipt(p.nodeId(), jobId, acceptedUnix, p.workUnits());
    if (key.isEmpty()) {
      return new JobAcceptance.Receipt(text, acceptedUnix, Optional.empty(), Optional.empty());
    }
    OptionalLong index = recorded.map(RecordedProof::ledgerIndex).orElse(OptionalLong.empty());
    JobReceiptPayload payload = new JobReceiptPayload(text, p.nodeId(), jobId, p.workUnits(),
        p.scheme(), p.signature().orElse(""), p.verified(), acceptedUnix, index);
    byte[] sig = Signatures.signRaw(key.get(), payload.digest().toByteArray());
    return new JobAcceptance.Receipt(text, acceptedUnix, Optional.of(key.get().publicKey().hex()),
        Optional.of(HexCodec.encode(sig)));
  }
}
