package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.ledger.JobEntry;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.TaskEntry;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.LedgerLog;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LedgerLog} must pass, through the job and lease stores and the
 * directory of its set that append to it: extend this class (or {@link CoordinatorStoresContract}) and return a fresh,
 * empty store set from {@link #newStores(DirectoryLimits)}. Roots and proofs are checked against
 * {@link MerkleTree} recomputed from the leaves the log serves, and the leaves against the proofs
 * the stores recorded.
 */
public abstract class LedgerLogContract {
  /** The instant the fake clock starts at. */
  protected static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  private static final NodeId A = NodeId.of("kc_log_a");
  private static final LeasePolicy JOBS = LeasePolicy.JOB_DEFAULT;
  private static final LeasePolicy TASKS = LeasePolicy.TASK_DEFAULT;
  private static final NodePresence PRESENCE =
      new NodePresence(List.of("node"), Optional.empty(), "kc/1", Optional.empty());

  /** The set under test, fresh and empty for every test. */
  protected CoordinatorStores stores;

  /** Its log. */
  protected LedgerLog log;

  /** The clock the tests read {@code now} from. */
  protected FakeClock clock;

  /** A fresh, empty store set whose directory has these bounds; called before every test. */
  protected abstract CoordinatorStores newStores(DirectoryLimits directoryLimits);

  /** Releases the set after every test; closes it by default. */
  protected void closeStores(CoordinatorStores stores) throws Exception {
    stores.close();
  }

  @BeforeEach
  final void setUpLog() {
    clock = FakeClock.at(START);
    stores = newStores(DirectoryLimits.DEFAULT);
    log = stores.ledger().log();
  }

  @AfterEach
  final void tearDownLog() throws Exception {
    closeStores(stores);
  }

  @Test
  void anEmptyLogHasTheEmptyRootAndNoEntries() {
    assertThat(log.size()).isZero();
    assertThat(log.root(0)).isEqualTo(MerkleTree.emptyRoot());
    assertThat(log.consistencyProof(0, 0)).isEmpty();
    assertOutOfRange(() -> log.root(1));
    assertOutOfRange(() -> log.leaves(0, 1));
    assertOutOfRange(() -> log.inclusionProof(0, 0));
  }

  @Test
  void verifiedProofsAreTheEntriesInLedgerIndexOrderAndUnverifiedOnesAreLeftOut() {
    List<RecordedProof> verified = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      RecordedProof r = switch (i % 3) {
        case 0 -> completeJob(true, i);
        case 1 -> completeTask(true);
        default -> completeLauncherJob(i);
      };
      verified.add(r);
      if (i % 4 == 0) {
        assertThat(completeJob(false, i).ledgerIndex()).isEmpty();
      }
    }
    assertThat(log.size()).isEqualTo(11);
    assertThat(stores.ledger().size()).isEqualTo(14);
    List<byte[]> leaves = log.leaves(0, 11);
    assertThat(leaves).hasSize(11);
    for (int i = 0; i < 11; i++) {
      RecordedProof r = verified.get(i);
      assertThat(r.ledgerIndex()).hasValue(i);
      assertEntryOf(LedgerEntry.parse(leaves.get(i)), r.proof());
      assertThat(log.leaves(i, i + 1).get(0)).isEqualTo(leaves.get(i));
    }
    assertThat(log.leaves(3, 7)).containsExactlyElementsOf(leaves.subList(3, 7));
  }

  @Test
  void everyRootAndProofAgreesWithTheTreeRecomputedFromTheLeaves() {
    int n = 13;
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        completeJob(true, i);
      } else {
        completeTask(true);
      }
    }
    List<byte[]> leaves = log.leaves(0, n);
    for (int size = 0; size <= n; size++) {
      Sha256Digest root = MerkleTree.root(leaves.subList(0, size));
      assertThat(log.root(size)).as("root of %d", size).isEqualTo(root);
      for (int index = 0; index < size; index++) {
        List<Sha256Digest> path = log.inclusionProof(index, size);
        MerkleTree.verifyInclusion(index, size, MerkleTree.leafHash(leaves.get(index)), path, root);
      }
      for (int first = 0; first <= size; first++) {
        List<Sha256Digest> proof = log.consistencyProof(first, size);
        MerkleTree.verifyConsistency(first, size, MerkleTree.root(leaves.subList(0, first)), root,
            proof);
      }
    }
  }

  @Test
  void theLogGrowsWithEachVerifiedProofAndOldProofsStayValid() {
    completeJob(true, 1);
    completeTask(true);
    completeJob(true, 2);
    Sha256Digest root3 = log.root(3);
    byte[] leaf1 = log.leaves(1, 2).get(0);
    completeTask(true);
    completeJob(true, 3);
    assertThat(log.size()).isEqualTo(5);
    assertThat(log.root(3)).isEqualTo(root3);
    MerkleTree.verifyConsistency(3, 5, root3, log.root(5), log.consistencyProof(3, 5));
    MerkleTree.verifyInclusion(1, 5, MerkleTree.leafHash(leaf1), log.inclusionProof(1, 5),
        log.root(5));
  }

  @Test
  void keyRotationsAreEntriesInTheOneSequenceOfTheProofs() {
    NodeId node = NodeId.of("kc_log_rotating");
    RecordedProof first = completeJob(true, 1);
    stores.directory().heartbeat(node, key(2), true, KeyEvidence.SIGNED_HEARTBEAT,
        PRESENCE, now());
    KeyRotation rotation = new KeyRotation(node, key(2), key(3), KeyEvidence.OPERATOR,
        Optional.empty(), 77, now(), "kc-log-kit");
    stores.directory().rotate(rotation);
    long rotatedAt = now().getEpochSecond();
    RecordedProof second = completeTask(true);
    assertThat(first.ledgerIndex()).hasValue(0);
    assertThat(second.ledgerIndex()).hasValue(2);
    assertThat(log.size()).isEqualTo(3);
    assertThat(stores.ledger().size()).isEqualTo(2);
    List<byte[]> leaves = log.leaves(0, 3);
    assertEntryOf(LedgerEntry.parse(leaves.get(0)), first.proof());
    assertThat(LedgerEntry.parse(leaves.get(1))).isEqualTo(new KeyRotationEntry(node,
        key(2).hex(), key(3).hex(), KeyRotationEntry.Authority.OPERATOR, Optional.empty(), 77,
        rotatedAt, "kc-log-kit"));
    assertEntryOf(LedgerEntry.parse(leaves.get(2)), second.proof());
    assertThat(log.root(3)).isEqualTo(MerkleTree.root(leaves));
    MerkleTree.verifyInclusion(1, 3, MerkleTree.leafHash(leaves.get(1)), log.inclusionProof(1, 3),
        log.root(3));
  }

  @Test
  void aRefusedRotationAppendsNothing() {
    NodeId node = NodeId.of("kc_log_refused");
    KeyRotation rotation = new KeyRotation(node, key(2), key(3), KeyEvidence.OPERATOR,
        Optional.empty(), 1, now(), "kc-log-kit");
    assertThatThrownBy(() -> stores.directory().rotate(rotation))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_NODE));
    stores.directory().heartbeat(node, key(4), true, KeyEvidence.SIGNED_HEARTBEAT,
        PRESENCE, now());
    assertThatThrownBy(() -> stores.directory().rotate(rotation))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_MISMATCH));
    assertThat(log.size()).isZero();
  }

  @Test
  void aRepeatedCompletionAppendsNothing() {
    long id = stores.jobs().add(5, now());
    JobGrant g = stores.jobs().next(A, now(), JOBS).orElseThrow();
    AcceptedProof p = KitProofs.verifiedJob(id, A, "m", 5,
        KitProofs.identity(KitProofs.unique("repeat")), key(1), g.leaseEpoch(), g.granted(), now());
    stores.jobs().complete(id, A, OptionalLong.of(g.leaseEpoch()), p, now());
    assertThat(stores.jobs().complete(id, A, OptionalLong.of(g.leaseEpoch()), p, now()).repeat())
        .isTrue();
    assertThat(log.size()).isEqualTo(1);
  }

  @Test
  void returnedLeavesAreCopies() {
    completeJob(true, 1);
    byte[] leaf = log.leaves(0, 1).get(0);
    byte[] copy = leaf.clone();
    leaf[0] ^= 1;
    assertThat(log.leaves(0, 1).get(0)).isEqualTo(copy);
  }

  @Test
  void argumentsOutsideTheLogAreRefusedFieldOutOfRange() {
    completeJob(true, 1);
    completeTask(true);
    assertOutOfRange(() -> log.root(3));
    assertOutOfRange(() -> log.root(-1));
    assertOutOfRange(() -> log.leaves(1, 1));
    assertOutOfRange(() -> log.leaves(2, 1));
    assertOutOfRange(() -> log.leaves(0, 3));
    assertOutOfRange(() -> log.leaves(-1, 1));
    assertOutOfRange(() -> log.leaves(0, LedgerLog.MAX_LEAVES_PER_READ + 1));
    assertOutOfRange(() -> log.inclusionProof(2, 2));
    assertOutOfRange(() -> log.inclusionProof(0, 3));
    assertOutOfRange(() -> log.inclusionProof(-1, 2));
    assertOutOfRange(() -> log.consistencyProof(2, 1));
    assertOutOfRange(() -> log.consistencyProof(0, 3));
    assertOutOfRange(() -> log.consistencyProof(-1, 2));
    assertThat(log.consistencyProof(2, 2)).isEmpty();
  }

  /** The instant the tests act at. */
  protected final Instant now() {
    return clock.instant();
  }

  private static void assertOutOfRange(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KasComputeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
  }

  /** The members of an entry are the recorded proof's. */
  private static void assertEntryOf(LedgerEntry entry, AcceptedProof p) {
    assertThat(entry.nodeId()).isEqualTo(p.nodeId());
    assertThat(entry.coordinator()).isEqualTo(p.coordinator());
    assertThat(entry.acceptedUnix()).isEqualTo(p.accepted().getEpochSecond());
    if (entry instanceof JobEntry j) {
      assertThat(p.jobId()).hasValue(j.payload().jobId());
      assertThat(j.scheme()).isEqualTo(p.scheme().orElseThrow());
      assertThat(j.payload().minerId()).isEqualTo(p.minerId());
      assertThat(j.payload().workUnits()).isEqualTo(p.workUnits());
      assertThat(j.payload().ts()).isEqualTo(p.ts());
      assertThat(j.signatureHex()).isEqualTo(p.signature().orElseThrow());
      assertThat(j.publicKeyHex()).isEqualTo(p.publicKey().orElseThrow().hex());
    } else {
      TaskEntry t = (TaskEntry) entry;
      assertThat(p.runId()).contains(t.payload().runId());
      assertThat(p.taskId()).contains(t.payload().taskId());
      assertThat(p.taskHash()).contains(t.payload().taskHash());
      assertThat(t.proofHashHex()).isEqualTo(p.proofHash().hex());
      assertThat(t.signatureHex()).isEqualTo(p.signature().orElseThrow());
      assertThat(t.publicKeyHex()).isEqualTo(p.publicKey().orElseThrow().hex());
    }
  }

  private RecordedProof completeJob(boolean verified, int seed) {
    clock.advance(Duration.ofSeconds(1));
    long id = stores.jobs().add(100 + seed, now());
    JobGrant g = stores.jobs().next(A, now(), JOBS).orElseThrow();
    AcceptedProof p = verified
        ? KitProofs.verifiedJob(id, A, "miner-" + seed, 100 + seed,
            KitProofs.identity(KitProofs.unique("log-job")), key(seed), g.leaseEpoch(),
            g.granted(), now())
        : KitProofs.job(id, A, 100 + seed, KitProofs.identity(KitProofs.unique("log-unverified")),
            g.granted(), now());
    return stores.jobs().complete(id, A, OptionalLong.of(g.leaseEpoch()), p, now()).recorded()
        .orElseThrow();
  }

  private RecordedProof completeLauncherJob(int seed) {
    clock.advance(Duration.ofSeconds(1));
    long id = stores.jobs().add(200 + seed, now());
    JobGrant g = stores.jobs().next(A, now(), JOBS).orElseThrow();
    AcceptedProof p = KitProofs.launcherJob(id, A, 200 + seed,
        KitProofs.identity(KitProofs.unique("log-launcher")), key(seed), g.leaseEpoch(),
        g.granted(), now());
    return stores.jobs().complete(id, A, OptionalLong.of(g.leaseEpoch()), p, now()).recorded()
        .orElseThrow();
  }

  private RecordedProof completeTask(boolean verified) {
    clock.advance(Duration.ofSeconds(1));
    ComputeDag dag = ComputeDag.builder(KitProofs.unique("log")).task("t", 9).build();
    stores.leases().putDag(dag);
    RunId run = stores.leases().createRun(dag.id(), now());
    TaskGrant g = stores.leases().next(run, A, now(), TASKS).orElseThrow();
    AcceptedProof p = KitProofs.task(run, g.taskId(), g.taskHash(), A, 9,
        KitProofs.identity(KitProofs.unique("log-task")),
        verified ? Optional.of(key(7)) : Optional.empty(), now());
    return stores.leases().complete(run, g.taskId(), A, OptionalLong.of(g.leaseEpoch()), p, now())
        .recorded().orElseThrow();
  }

  private static PublicKeyBytes key(int seed) {
    return NodeDirectoryContract.key(seed);
  }
}
