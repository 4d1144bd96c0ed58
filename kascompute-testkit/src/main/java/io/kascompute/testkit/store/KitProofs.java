package io.kascompute.testkit.store;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ledger.AcceptedProof;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Accepted proofs for the kits, as a coordinator would record them (stores do not verify). */
final class KitProofs {
  private static final AtomicLong NAMES = new AtomicLong();

  private KitProofs() {}

  /** A name unique in the JVM, so that tests sharing a store never collide. */
  static String unique(String prefix) {
    return prefix + "-" + System.nanoTime() + "-" + NAMES.incrementAndGet();
  }

  static Sha256Digest identity(String seed) {
    return Sha256Digest.hash(seed.getBytes(StandardCharsets.UTF_8));
  }

  /** An unverified job proof. */
  static AcceptedProof job(long jobId, NodeId node, long workUnits, Sha256Digest identity,
      Instant assigned, Instant accepted) {
    return new AcceptedProof(ProofKind.JOB, node, Optional.empty(), OptionalLong.of(jobId),
        Optional.empty(), Optional.empty(), Optional.empty(), workUnits, Optional.of("sim"), 1500,
        "kit/1.0", accepted.getEpochSecond(), Optional.empty(), Optional.empty(), Optional.empty(),
        identity, 1, Optional.of(assigned), accepted, "kit-coordinator");
  }

  /** A job proof that verified in the digest scheme against {@code key}, for a miner. */
  static AcceptedProof verifiedJob(long jobId, NodeId node, String miner, long workUnits,
      Sha256Digest identity, PublicKeyBytes key, long epoch, Instant assigned, Instant accepted) {
    return new AcceptedProof(ProofKind.JOB, node, Optional.of(miner), OptionalLong.of(jobId),
        Optional.empty(), Optional.empty(), Optional.empty(), workUnits, Optional.of("mixed\u0000"),
        42, "kit/2.0 \u00e9\u0001", accepted.getEpochSecond(), Optional.of(SignatureScheme.DIGEST),
        Optional.of("ab".repeat(64)), Optional.of(key), identity, epoch, Optional.of(assigned),
        accepted, "coordinator \u0000 a");
  }

  /** A job proof that verified in the launcher scheme against {@code key}, without a miner. */
  static AcceptedProof launcherJob(long jobId, NodeId node, long workUnits, Sha256Digest identity,
      PublicKeyBytes key, long epoch, Instant assigned, Instant accepted) {
    return new AcceptedProof(ProofKind.JOB, node, Optional.empty(), OptionalLong.of(jobId),
        Optional.empty(), Optional.empty(), Optional.empty(), workUnits, Optional.of("cpu"), 900,
        "launcher-miner/0.2.0", accepted.getEpochSecond(), Optional.of(SignatureScheme.LAUNCHER),
        Optional.of("0f".repeat(64)), Optional.of(key), identity, epoch, Optional.of(assigned),
        accepted, "kit-coordinator");
  }

  /** A task proof; verified in the launcher scheme when {@code key} is present. */
  static AcceptedProof task(RunId run, TaskId task, Sha256Digest taskHash, NodeId node,
      long workUnits, Sha256Digest identity, Optional<PublicKeyBytes> key, Instant accepted) {
    return new AcceptedProof(ProofKind.TASK, node, Optional.empty(), OptionalLong.empty(),
        Optional.of(run), Optional.of(task), Optional.of(taskHash), workUnits, Optional.empty(), 7,
        "kit/1.0", accepted.getEpochSecond(),
        key.map(k -> SignatureScheme.LAUNCHER), key.map(k -> "cd".repeat(64)), key, identity, 1,
        Optional.empty(), accepted, "kit-coordinator");
  }
}
