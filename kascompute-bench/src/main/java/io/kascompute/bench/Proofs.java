package io.kascompute.bench;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Accepted task proofs for the lease benchmarks, as a coordinator would build them. */
final class Proofs {
  private Proofs() {}

  static AcceptedProof task(RunId run, TaskId task, NodeId node, Sha256Digest identity, Instant now) {
    return new AcceptedProof(ProofKind.TASK, node, Optional.empty(), OptionalLong.empty(),
        Optional.of(run), Optional.of(task), Optional.of(identity), 1, Optional.empty(), 1,
        "bench", now.getEpochSecond(), Optional.empty(), Optional.empty(), Optional.empty(),
        identity, 1, Optional.empty(), now, "bench");
  }

  /**
   * The same task proof as verified in the digest scheme against {@code key}, so that completing
   * it also appends its entry to the ledger. The stores do not verify signatures, so the
   * signature is a well-formed 64-byte value derived from the identity rather than a real one: the
   * benchmark times the store's work (the entry's canonical leaf, its hashes and the log's rows),
   * not the signing.
   */
  static AcceptedProof verifiedTask(
      RunId run, TaskId task, NodeId node, Sha256Digest identity, PublicKeyBytes key,
      Instant now) {
    return new AcceptedProof(ProofKind.TASK, node, Optional.empty(), OptionalLong.empty(),
        Optional.of(run), Optional.of(task), Optional.of(identity), 1, Optional.empty(), 1,
        "bench", now.getEpochSecond(), Optional.of(SignatureScheme.DIGEST),
        Optional.of(identity.hex() + identity.hex()), Optional.of(key), identity, 1,
        Optional.empty(), now, "bench");
  }
}
