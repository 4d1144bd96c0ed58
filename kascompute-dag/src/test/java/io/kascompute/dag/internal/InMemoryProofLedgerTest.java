package io.kascompute.dag.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.core.wire.JobState;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.LedgerLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The in-memory log's bounds: leaves follow the retention, tree hashes stay, the entry bound
 * refuses proofs and rotations.
 */
class InMemoryProofLedgerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final NodeId NODE = NodeId.of("kc_mem");

  final InMemoryProofLedger ledger = new InMemoryProofLedger(2, 4);
  final InMemoryJobStore jobs = new InMemoryJobStore(ledger, 100);
  final LedgerLog log = ledger.log();

  long completeJob(int seed) {
    long id = jobs.add(10, T0);
    JobGrant g = jobs.next(NODE, T0, LeasePolicy.JOB_DEFAULT).orElseThrow();
    jobs.complete(id, NODE, OptionalLong.of(g.leaseEpoch()), proof(id, seed, g), T0);
    return id;
  }

  static AcceptedProof proof(long id, int seed, JobGrant g) {
    return new AcceptedProof(ProofKind.JOB, NODE, Optional.empty(), OptionalLong.of(id),
        Optional.empty(), Optional.empty(), Optional.empty(), 10, Optional.of("sim"), 5, "t", 1,
        Optional.of(SignatureScheme.DIGEST), Optional.of("ab".repeat(64)),
        Optional.of(PublicKeyBytes.of(new byte[32])),
        Sha256Digest.hash(("p" + seed).getBytes(StandardCharsets.UTF_8)), g.leaseEpoch(),
        Optional.of(g.granted()), T0, "mem");
  }

  @Test
  void leavesFollowTheRetentionWhileProofsOfForgottenEntriesStillAnswer() {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      completeJob(i);
      leaves.add(log.leaves(i, i + 1).get(0));
    }
    assertThat(log.leaves(1, 3)).containsExactly(leaves.get(1), leaves.get(2));
    assertThatThrownBy(() -> log.leaves(0, 2)).isInstanceOfSatisfying(KasComputeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENTRY_FORGOTTEN));
    Sha256Digest root = MerkleTree.root(leaves);
    assertThat(log.root(3)).isEqualTo(root);
    MerkleTree.verifyInclusion(0, 3, MerkleTree.leafHash(leaves.get(0)), log.inclusionProof(0, 3),
        root);
  }

  @Test
  void beyondTheEntryBoundAVerifiedProofIsRefusedStoreFullAndNothingChanges() {
    for (int i = 0; i < 4; i++) {
      completeJob(i);
    }
    long id = jobs.add(10, T0);
    JobGrant g = jobs.next(NODE, T0, LeasePolicy.JOB_DEFAULT).orElseThrow();
    assertThatThrownBy(() -> jobs.complete(id, NODE, OptionalLong.of(g.leaseEpoch()),
        proof(id, 9, g), T0)).isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_FULL));
    assertThat(log.size()).isEqualTo(4);
    assertThat(ledger.size()).isEqualTo(4);
    assertThat(jobs.job(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
  }

  @Test
  void aRotationBeyondTheEntryBoundIsRefusedStoreFullAndNotApplied() {
    InMemoryNodeDirectory directory = new InMemoryNodeDirectory(DirectoryLimits.DEFAULT, ledger);
    NodeId rotating = NodeId.of("kc_rotating");
    PublicKeyBytes k1 = PublicKeyBytes.of(new byte[32]);
    byte[] other = new byte[32];
    other[0] = 1;
    PublicKeyBytes k2 = PublicKeyBytes.of(other);
    directory.heartbeat(rotating, k1, true, KeyEvidence.SIGNED_HEARTBEAT,
        new NodePresence(List.of("node"), Optional.empty(), "t", Optional.empty()), T0);
    for (int i = 0; i < 3; i++) {
      completeJob(i);
    }
    directory.rotate(new KeyRotation(rotating, k1, k2, KeyEvidence.OPERATOR, Optional.empty(), 1,
        T0, "mem"));
    assertThat(log.size()).isEqualTo(4);
    assertThatThrownBy(() -> directory.rotate(new KeyRotation(rotating, k2, k1,
        KeyEvidence.OPERATOR, Optional.empty(), 2, T0, "mem")))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_FULL));
    assertThat(directory.pinnedKey(rotating)).contains(k2);
    assertThat(directory.rotations(rotating)).hasSize(1);
    assertThat(log.size()).isEqualTo(4);
  }
}
