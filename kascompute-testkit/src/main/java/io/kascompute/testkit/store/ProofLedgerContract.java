package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.ProofLedger;
import io.kascompute.dag.ledger.ProofWindow;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ProofLedger} must pass, with the job and lease stores of its set that
 * append to it: extend this class (or {@link CoordinatorStoresContract}) and return a fresh, empty
 * store set from {@link #newStores(DirectoryLimits)}. The nested groups follow the rules of the
 * {@link ProofLedger} Javadoc: consecutive {@code seq} from 0 in acceptance order over job and
 * task proofs, ledger indexes among verified proofs, every field kept, lookups by identity, the
 * newest-first view, and window totals.
 */
public abstract class ProofLedgerContract {
  /** The instant the fake clock starts at. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static final NodeId A = NodeId.of("kc_ledger_a");
  private static final LeasePolicy JOBS = LeasePolicy.JOB_DEFAULT;
  private static final LeasePolicy TASKS = LeasePolicy.TASK_DEFAULT;

  /** The set under test, fresh and empty for every test. */
  protected CoordinatorStores stores;

  /** Its proof record. */
  protected ProofLedger ledger;

  /** The clock the tests read {@code now} from. */
  protected FakeClock clock;

  /** A fresh, empty store set whose directory has these bounds; called before every test. */
  protected abstract CoordinatorStores newStores(DirectoryLimits directoryLimits);

  /** Releases the set after every test; closes it by default. */
  protected void closeStores(CoordinatorStores stores) throws Exception {
    stores.close();
  }

  @BeforeEach
  final void setUpLedger() {
    clock = FakeClock.at(START);
    stores = newStores(DirectoryLimits.DEFAULT);
    ledger = stores.ledger();
  }

  @AfterEach
  final void tearDownLedger() throws Exception {
    closeStores(stores);
  }

  /** Sequence numbers and ledger indexes. */
  @Nested
  class Order {
    @Test
    void anEmptyRecordHasNothing() {
      assertThat(ledger.size()).isZero();
      assertThat(ledger.recent(OptionalLong.empty(), 10)).isEmpty();
      assertThat(ledger.find(KitProofs.identity("nothing"))).isEmpty();
      assertThat(ledger.window(START.minusSeconds(60), START)).isEqualTo(ProofWindow.EMPTY);
    }

    @Test
    void proofsGetConsecutiveSeqFromZeroInAcceptanceOrderAcrossJobsAndTasks() {
      RecordedProof job1 = completeJob(10, Optional.empty());
      RecordedProof task1 = completeTask(Optional.of(key(3)));
      RecordedProof job2 = completeJob(20, Optional.of(key(2)));
      RecordedProof task2 = completeTask(Optional.empty());
      assertThat(List.of(job1.seq(), task1.seq(), job2.seq(), task2.seq())).containsExactly(0L, 1L, 2L, 3L);
      assertThat(ledger.size()).isEqualTo(4);
      // ledger indexes count verified proofs only
      assertThat(job1.ledgerIndex()).isEmpty();
      assertThat(task1.ledgerIndex()).hasValue(0);
      assertThat(job2.ledgerIndex()).hasValue(1);
      assertThat(task2.ledgerIndex()).isEmpty();
      assertThat(ledger.recent(OptionalLong.empty(), 10)).containsExactly(task2, job2, task1, job1);
      assertThat(ledger.recent(OptionalLong.of(2), 10)).containsExactly(task1, job1);
      assertThat(ledger.recent(OptionalLong.of(3), 1)).containsExactly(job2);
      assertThat(ledger.recent(OptionalLong.of(0), 10)).isEmpty();
      assertThat(ledger.recent(OptionalLong.empty(), 0)).isEmpty();
      for (RecordedProof r : List.of(job1, task1, job2, task2)) {
        assertThat(ledger.find(r.proof().proofHash())).contains(r);
      }
    }
  }

  /** What a record keeps: enough to re-verify the proof offline. */
  @Nested
  class Fields {
    @Test
    void everyFieldOfAJobProofIsKeptExactly() {
      long id = stores.jobs().add(-1L, now());
      JobGrant g = stores.jobs().next(A, now(), JOBS).orElseThrow();
      clock.advance(Duration.ofMillis(2500));
      AcceptedProof p = KitProofs.verifiedJob(id, A, "miner\u0000\u00e9", -1L,
          KitProofs.identity(KitProofs.unique("fields")), key(9), g.leaseEpoch(), g.granted(), now());
      RecordedProof r = stores.jobs().complete(id, A, OptionalLong.of(1), p, now()).recorded().orElseThrow();
      assertThat(r.proof()).isEqualTo(p);
      RecordedProof found = ledger.find(p.proofHash()).orElseThrow();
      assertThat(found).isEqualTo(r);
      assertThat(found.proof().minerId()).contains("miner\u0000\u00e9");
      assertThat(found.proof().coordinator()).isEqualTo("coordinator \u0000 a");
      assertThat(found.proof().assigned()).contains(g.granted());
      assertThat(found.proof().accepted()).isEqualTo(now());
    }

    @Test
    void everyFieldOfATaskProofIsKeptExactly() {
      RecordedProof r = completeTask(Optional.of(key(4)));
      assertThat(ledger.find(r.proof().proofHash())).contains(r);
      assertThat(r.proof().runId()).isPresent();
      assertThat(r.proof().taskHash()).isPresent();
    }
  }

  /** Window totals, the same for every coordinator of the set. */
  @Nested
  class Windows {
    @Test
    void aWindowCountsTheSecondsAfterFromUpToTo() {
      Instant t0 = START.plusSeconds(100);
      clock.set(t0.plusMillis(999));
      completeJob(5, Optional.empty());                // second 100
      clock.set(t0.plusSeconds(1));
      completeJob(7, Optional.of(key(1)));             // second 101
      completeTask(Optional.of(key(2)));               // second 101
      clock.set(t0.plusSeconds(2).plusMillis(500));
      completeTask(Optional.empty());                  // second 102
      ProofWindow all = ledger.window(t0.minusSeconds(1), t0.plusSeconds(2));
      assertThat(all.jobs()).isEqualTo(2);
      assertThat(all.tasks()).isEqualTo(2);
      assertThat(all.proofs()).isEqualTo(4);
      assertThat(all.verified()).isEqualTo(2);
      assertThat(all.workUnits()).isEqualTo(5 + 7 + 2 * TASK_UNITS);
      ProofWindow lastTwo = ledger.window(t0, t0.plusSeconds(2).plusMillis(999));
      assertThat(lastTwo.jobs()).isEqualTo(1);
      assertThat(lastTwo.tasks()).isEqualTo(2);
      ProofWindow first = ledger.window(t0.minusSeconds(1), t0.plusMillis(1));
      assertThat(first).isEqualTo(new ProofWindow(1, first.jobLeaseMillis(), 0, 5, 0));
      assertThat(ledger.window(t0.plusSeconds(2), t0.plusSeconds(60))).isEqualTo(ProofWindow.EMPTY);
    }

    @Test
    void jobLeaseTimesAreWholeSecondsFromGrantToAcceptance() {
      long id = stores.jobs().add(1, now());
      JobGrant g = stores.jobs().next(A, now(), JOBS).orElseThrow();
      clock.advance(Duration.ofMillis(12_700));
      AcceptedProof p = KitProofs.job(id, A, 1, KitProofs.identity(KitProofs.unique("ms")), g.granted(), now());
      stores.jobs().complete(id, A, OptionalLong.of(1), p, now());
      ProofWindow w = ledger.window(now().minusSeconds(60), now());
      assertThat(w.jobLeaseMillis()).isEqualTo(12_000);
      assertThat(w.averageJobMillis()).isEqualTo(12_000);
    }

    @Test
    void workUnitsAreUnsignedAndSaturate() {
      completeJob(-1L, Optional.empty());
      completeJob(-2L, Optional.empty());
      assertThat(ledger.window(now().minusSeconds(60), now()).workUnits()).isEqualTo(-1L);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static final long TASK_UNITS = 11;

  /** The fake clock's current instant. */
  protected final Instant now() {
    return clock.instant();
  }

  private RecordedProof completeJob(long workUnits, Optional<PublicKeyBytes> key) {
    long id = stores.jobs().add(workUnits, now());
    JobGrant g = stores.jobs().next(A, now(), JOBS).orElseThrow();
    Sha256Digest identity = KitProofs.identity(KitProofs.unique("job"));
    AcceptedProof p = key.isPresent()
        ? KitProofs.verifiedJob(id, A, "m", workUnits, identity, key.get(), 1, g.granted(), now())
        : KitProofs.job(id, A, workUnits, identity, g.granted(), now());
    return stores.jobs().complete(id, A, OptionalLong.of(1), p, now()).recorded().orElseThrow();
  }

  private RecordedProof completeTask(Optional<PublicKeyBytes> key) {
    ComputeDag dag = ComputeDag.builder(KitProofs.unique("ledger")).task("t", TASK_UNITS).build();
    stores.leases().putDag(dag);
    RunId run = stores.leases().createRun(dag.id(), now());
    TaskGrant g = stores.leases().next(run, A, now(), TASKS).orElseThrow();
    AcceptedProof p = KitProofs.task(run, g.taskId(), g.taskHash(), A, TASK_UNITS,
        KitProofs.identity(KitProofs.unique("task")), key, now());
    return stores.leases().complete(run, g.taskId(), A, OptionalLong.of(1), p, now()).recorded()
        .orElseThrow();
  }

  private static PublicKeyBytes key(int seed) {
    return NodeDirectoryContract.key(seed);
  }
}
