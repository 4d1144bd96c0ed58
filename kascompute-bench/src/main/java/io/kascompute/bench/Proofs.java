package io.kascompute.bench;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
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
}
