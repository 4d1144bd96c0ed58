package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.core.wire.RunState;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import io.kascompute.dag.lease.TaskLeaseState;
import io.kascompute.dag.lease.LeaseState;
import io.kascompute.dag.lease.DagSummary;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LeaseStore} must pass: extend this class, return a fresh, empty store
 * set from {@link #newStores(DirectoryLimits)}, and run it with JUnit 5 (or extend {@link
 * CoordinatorStoresContract}, which runs this kit and the kits of the other stores of the set).
 * The nested groups follow the rules of the {@link LeaseStore} Javadoc: DAGs, runs and grants;
 * renewal at and before expiry; completion (fencing epochs, completion after expiry, idempotent
 * completion, unlock order by code point); reclaim at the tail of the queue; failure and
 * attempts; run states; the read views; the proof record that completions append to; every
 * refusal code and the order of checks; and real-thread races.
 *
 * <pre>{@code
 * class MyStoresTest extends LeaseStoreContract {
 *   protected CoordinatorStores newStores(DirectoryLimits limits) { return myStores(dataSource, limits); }
 * }
 * }</pre>
 *
 * <p>Time comes from a {@link FakeClock} that the tests move in nanosecond steps where it matters,
 * so a store must keep instants to the nanosecond (for example as {@code bigint} nanoseconds in a
 * database). No test sleeps. Every test makes its own DAGs (with names unique to the test), runs
 * and proof identities, so a store that is shared between tests works as long as {@link
 * #newStores(DirectoryLimits)} gives a usable handle to it.
 */
public abstract class LeaseStoreContract {
  /** The lease policy the tests use unless they say otherwise: 90 s leases, 3 attempts. */
  protected static final LeasePolicy POLICY = LeasePolicy.TASK_DEFAULT;

  /** The instant the fake clock starts at. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static final NodeId A = NodeId.of("kc_node_a");
  private static final NodeId B = NodeId.of("kc_node_b");
  private static final NodeId C = NodeId.of("kc_node_c");
  private static final Duration LEASE = POLICY.leaseDuration();
  private static final Duration NS = Duration.ofNanos(1);

  /** The set under test, fresh for every test. */
  protected CoordinatorStores stores;

  /** Its lease store. */
  protected LeaseStore store;

  /** The clock the tests read {@code now} from, at {@link #START} when a test begins. */
  protected FakeClock clock;

  /** A fresh store set whose directory has these bounds; called once before every test. */
  protected abstract CoordinatorStores newStores(DirectoryLimits directoryLimits);

  /** Releases what {@link #newStores(DirectoryLimits)} acquired; called after every test. Closes the set by default. */
  protected void closeStores(CoordinatorStores stores) throws Exception {
    stores.close();
  }

  @BeforeEach
  final void setUpStore() {
    clock = FakeClock.at(START);
    stores = newStores(DirectoryLimits.DEFAULT);
    store = stores.leases();
  }

  @AfterEach
  final void tearDownStore() throws Exception {
    closeStores(stores);
  }

  /** Storing DAGs, creating runs, and grants in queue order. */
  @Nested
  class DagsRunsAndGrants {
    @Test
    void storingTheSameDagTwiceIsANoOp() {
      ComputeDag dag = dag("a", "b", "a>b");
      store.putDag(dag);
      store.putDag(dag);
      assertThat(store.dag(dag.id())).isPresent();
      assertThat(store.dag(dag.id()).get().id()).isEqualTo(dag.id());
      assertThat(store.dag(dag.id()).get().taskCount()).isEqualTo(2);
    }

    @Test
    void unknownDagIsEmptyAndCannotRun() {
      DagId missing = DagId.of(Sha256Digest.hash(bytes(uniqueName("missing"))));
      assertThat(store.dag(missing)).isEmpty();
      assertRefused(() -> store.createRun(missing, now()), ErrorCode.UNKNOWN_DAG);
    }

    @Test
    void runIdsHaveTheDeployedFormAndAreUnique() {
      ComputeDag dag = stored(dag("a"));
      RunId first = store.createRun(dag.id(), now());
      RunId second = store.createRun(dag.id(), now());
      assertThat(first).isNotEqualTo(second);
      assertThat(first.value()).matches("run-" + dag.id().value() + "-\\d+");
      assertThat(second.value()).matches("run-" + dag.id().value() + "-\\d+");
    }

    @Test
    void newRunReportsItsDagAndCounts() {
      ComputeDag dag = stored(dag("a", "b", "c", "a>c", "b>c"));
      clock.advance(Duration.ofMillis(1234));
      RunId run = store.createRun(dag.id(), now());
      RunStatus status = store.status(run).orElseThrow();
      assertThat(status.runId()).isEqualTo(run);
      assertThat(status.dagId()).isEqualTo(dag.id());
      assertThat(status.dagRootHash()).isEqualTo(dag.rootHash());
      assertThat(status.name()).isEqualTo(dag.name());
      assertThat(status.created()).isEqualTo(now());
      assertCounts(run, 3, 1, 2, 0, 0, 0);
      assertThat(status.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void unknownRunHasNoStatusAndRefusesEveryCall() {
      RunId run = RunId.of("run-" + uniqueName("nowhere") + "-1");
      TaskId a = TaskId.of("a");
      assertThat(store.status(run)).isEmpty();
      assertRefused(() -> store.next(run, A, now(), POLICY), ErrorCode.UNKNOWN_RUN);
      assertRefused(() -> store.renew(run, a, A, OptionalLong.empty(), now(), POLICY), ErrorCode.UNKNOWN_RUN);
      assertRefused(() -> store.complete(run, a, A, OptionalLong.empty(), proof(run, a, A, 1), now()), ErrorCode.UNKNOWN_RUN);
      assertRefused(() -> store.fail(run, a, A, OptionalLong.empty(), now(), POLICY), ErrorCode.UNKNOWN_RUN);
    }

    @Test
    void unknownTaskIsRefusedEvenWithAStaleEpoch() {
      RunId run = run(dag("a"));
      TaskId nope = TaskId.of("nope");
      grant(run, A);
      assertRefused(() -> store.renew(run, nope, A, OptionalLong.of(7), now(), POLICY), ErrorCode.UNKNOWN_TASK);
      assertRefused(() -> store.complete(run, nope, A, OptionalLong.of(7), proof(run, nope, A, 1), now()), ErrorCode.UNKNOWN_TASK);
      assertRefused(() -> store.fail(run, nope, A, OptionalLong.of(7), now(), POLICY), ErrorCode.UNKNOWN_TASK);
    }

    @Test
    void rootsAreGrantedInCodePointOrderOfTaskIds() {
      // U+1F600 sorts after U+FFFD by code point, although its UTF-16 surrogates sort before it.
      RunId run = run(dag("\uD83D\uDE00", "\uFFFD", "b", "a", "Z"));
      assertThat(grantIds(run, 5)).containsExactly("Z", "a", "b", "\uFFFD", "\uD83D\uDE00");
      assertThat(store.next(run, A, now(), POLICY)).isEmpty();
    }

    @Test
    void grantCarriesTheTaskAndALeaseOfTheConfiguredDuration() {
      ComputeDag dag = dag("a");
      RunId run = run(dag);
      TaskGrant g = grant(run, A);
      assertThat(g.runId()).isEqualTo(run);
      assertThat(g.dagId()).isEqualTo(dag.id());
      assertThat(g.taskId()).isEqualTo(TaskId.of("a"));
      assertThat(g.taskHash()).isEqualTo(dag.taskHash(0));
      assertThat(g.workUnits()).isEqualTo(dag.workUnits(0));
      assertThat(g.taskType()).isEqualTo(dag.taskType(0));
      assertThat(g.leaseExpires()).isEqualTo(now().plus(LEASE));
      assertThat(g.leaseEpoch()).isEqualTo(1);
      assertThat(g.attempt()).isEqualTo(1);
      assertCounts(run, 1, 0, 0, 1, 0, 0);
    }

    @Test
    void grantUsesTheLeaseDurationOfThePolicyPassedIn() {
      RunId run = run(dag("a"));
      LeasePolicy shortLeases = new LeasePolicy(Duration.ofMillis(1500), 3);
      TaskGrant g = store.next(run, A, now(), shortLeases).orElseThrow();
      assertThat(g.leaseExpires()).isEqualTo(now().plus(Duration.ofMillis(1500)));
    }

    @Test
    void emptyQueueGivesEmptyNotAnError() {
      RunId run = run(dag("a", "b", "a>b"));
      grant(run, A);
      assertThat(store.next(run, B, now(), POLICY)).isEmpty();
      assertCounts(run, 2, 1, 0, 1, 0, 0);
    }

    @Test
    void epochsIncreaseByOnePerGrant() {
      RunId run = run(dag("a"));
      LeasePolicy many = new LeasePolicy(LEASE, 5);
      for (int expected = 1; expected <= 5; expected++) {
        TaskGrant g = store.next(run, expected % 2 == 0 ? B : A, now(), many).orElseThrow();
        assertThat(g.leaseEpoch()).isEqualTo(expected);
        assertThat(g.attempt()).isEqualTo(expected);
        clock.advance(LEASE);
      }
    }
  }

  /** Renewal: only the owner, the current epoch, strictly before expiry. */
  @Nested
  class Renewal {
    @Test
    void renewOneNanosecondBeforeExpiryIsAccepted() {
      RunId run = run(dag("a"));
      TaskGrant g = grant(run, A);
      clock.set(g.leaseExpires().minus(NS));
      TaskRenewal r = store.renew(run, g.taskId(), A, OptionalLong.of(1), now(), POLICY);
      assertThat(r.leaseExpires()).isEqualTo(now().plus(LEASE));
      assertThat(r.leaseEpoch()).isEqualTo(1);
      assertThat(r.runId()).isEqualTo(run);
      assertThat(r.taskId()).isEqualTo(g.taskId());
    }

    @Test
    void renewAtExactlyTheExpiryInstantIsRefused() {
      RunId run = run(dag("a"));
      TaskGrant g = grant(run, A);
      clock.set(g.leaseExpires());
      assertRefused(
          () -> store.renew(run, g.taskId(), A, OptionalLong.of(1), now(), POLICY), ErrorCode.LEASE_EXPIRED);
      clock.advance(Duration.ofHours(1));
      assertRefused(
          () -> store.renew(run, g.taskId(), A, OptionalLong.empty(), now(), POLICY), ErrorCode.LEASE_EXPIRED);
      assertCounts(run, 1, 0, 0, 1, 0, 0);
    }

    @Test
    void renewalMovesTheExpiryThatNextReclaimsBy() {
      RunId run = run(dag("a"));
      TaskGrant g = grant(run, A);
      clock.advance(Duration.ofSeconds(60));
      TaskRenewal r = store.renew(run, g.taskId(), A, OptionalLong.empty(), now(), POLICY);
      clock.set(g.leaseExpires());
      assertThat(store.next(run, B, now(), POLICY)).isEmpty();
      clock.set(r.leaseExpires().minus(NS));
      assertThat(store.next(run, B, now(), POLICY)).isEmpty();
      clock.set(r.leaseExpires());
      assertThat(store.next(run, B, now(), POLICY).orElseThrow().leaseEpoch()).isEqualTo(2);
    }

    @Test
    void renewRefusalsFollowTheOrderOfChecks() {
      RunId run = run(dag("a", "b", "c", "d", "p", "a>p"));
      TaskId a = grant(run, A).taskId();
      assertRefused(() -> store.renew(run, a, B, OptionalLong.empty(), now(), POLICY), ErrorCode.NOT_OWNER);
      assertRefused(() -> store.renew(run, a, B, OptionalLong.of(1), now(), POLICY), ErrorCode.NOT_OWNER);
      assertRefused(() -> store.renew(run, a, A, OptionalLong.of(2), now(), POLICY), ErrorCode.STALE_LEASE);
      assertRefused(() -> store.renew(run, a, B, OptionalLong.of(0), now(), POLICY), ErrorCode.STALE_LEASE);
      // never granted: pending and ready tasks
      assertRefused(
          () -> store.renew(run, TaskId.of("p"), A, OptionalLong.of(1), now(), POLICY), ErrorCode.TASK_NOT_RUNNING);
      assertRefused(
          () -> store.renew(run, TaskId.of("d"), A, OptionalLong.empty(), now(), POLICY), ErrorCode.TASK_NOT_RUNNING);
      // completed
      store.complete(run, a, A, OptionalLong.of(1), proof(run, a, A, 1), now());
      assertRefused(() -> store.renew(run, a, A, OptionalLong.of(1), now(), POLICY), ErrorCode.ALREADY_COMPLETED);
      // requeued after a failure report
      TaskId b = grant(run, A).taskId();
      store.fail(run, b, A, OptionalLong.of(1), now(), POLICY);
      assertRefused(() -> store.renew(run, b, A, OptionalLong.of(1), now(), POLICY), ErrorCode.TASK_NOT_RUNNING);
      // reclaimed: the lease expired, so LEASE_EXPIRED rather than TASK_NOT_RUNNING
      TaskGrant c = grant(run, A);
      clock.set(c.leaseExpires());
      grant(run, B);
      assertRefused(
          () -> store.renew(run, c.taskId(), A, OptionalLong.of(1), now(), POLICY), ErrorCode.LEASE_EXPIRED);
      assertRefused(
          () -> store.renew(run, c.taskId(), B, OptionalLong.of(1), now(), POLICY), ErrorCode.NOT_OWNER);
    }
  }

  /** Completion: unlocks, repeats, late work, refusals. */
  @Nested
  class Completion {
    @Test
    void completionUnlocksDependentsWhoseDependenciesAreAllComplete() {
      RunId run = run(dag("a", "b", "c", "d", "a>c", "b>c", "a>d"));
      TaskGrant a = grant(run, A);
      TaskGrant b = grant(run, B);
      TaskCompletion ca = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(ca.unlocked()).containsExactly(TaskId.of("d"));
      assertThat(ca.repeat()).isFalse();
      assertThat(ca.runId()).isEqualTo(run);
      assertThat(ca.taskId()).isEqualTo(a.taskId());
      assertCounts(run, 4, 1, 1, 1, 1, 0);
      TaskCompletion cb = store.complete(run, b.taskId(), B, OptionalLong.empty(), proof(run, b.taskId(), B, 2), now());
      assertThat(cb.unlocked()).containsExactly(TaskId.of("c"));
      assertCounts(run, 4, 0, 2, 0, 2, 0);
      assertThat(grantIds(run, 2)).containsExactly("d", "c");
    }

    @Test
    void unlockedDependentsAreEnqueuedInCodePointOrder() {
      RunId run =
          run(dag("r", "x", "\uD83D\uDE00", "\uFFFD", "b", "z", "r>\uD83D\uDE00", "r>\uFFFD", "r>z", "r>b"));
      assertThat(grant(run, A).taskId().value()).isEqualTo("r");
      assertThat(grant(run, A).taskId().value()).isEqualTo("x");
      TaskCompletion done = store.complete(run, TaskId.of("r"), A, OptionalLong.of(1), proof(run, TaskId.of("r"), A, 1), now());
      assertThat(done.unlocked())
          .extracting(TaskId::value)
          .containsExactly("b", "z", "\uFFFD", "\uD83D\uDE00");
      assertThat(grantIds(run, 4)).containsExactly("b", "z", "\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void repeatedIdenticalCompletionReturnsTheFirstAnswerAndUnlocksNothing() {
      RunId run = run(dag("a", "b", "c", "a>b", "a>c"));
      TaskGrant a = grant(run, A);
      TaskCompletion first = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(grant(run, B).taskId().value()).isEqualTo("b");
      clock.advance(Duration.ofSeconds(30));
      TaskCompletion again = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      TaskCompletion noEpoch = store.complete(run, a.taskId(), A, OptionalLong.empty(), proof(run, a.taskId(), A, 1), now());
      assertThat(again.repeat()).isTrue();
      assertThat(again.unlocked()).isEqualTo(first.unlocked()).extracting(TaskId::value).containsExactly("b", "c");
      assertThat(noEpoch).isEqualTo(again);
      assertCounts(run, 3, 0, 1, 1, 1, 0);
      assertThat(grantIds(run, 1)).containsExactly("c");
      assertThat(store.next(run, C, now(), POLICY)).isEmpty();
    }

    @Test
    void repeatedCompletionAfterTheRunFinishedIsStillAnswered() {
      RunId run = run(dag("a"));
      TaskGrant a = grant(run, A);
      store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(store.status(run).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
      TaskCompletion again = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(again.repeat()).isTrue();
      assertThat(again.unlocked()).isEmpty();
    }

    @Test
    void completionWithAnotherProofAfterCompletionIsRefused() {
      RunId run = run(dag("a"));
      TaskGrant a = grant(run, A);
      store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertRefused(
          () -> store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 2), now()), ErrorCode.ALREADY_COMPLETED);
      assertRefused(
          () -> store.complete(run, a.taskId(), B, OptionalLong.empty(), proof(run, a.taskId(), B, 1), now()), ErrorCode.NOT_OWNER);
      assertRefused(
          () -> store.complete(run, a.taskId(), A, OptionalLong.of(2), proof(run, a.taskId(), A, 1), now()), ErrorCode.STALE_LEASE);
      assertCounts(run, 1, 0, 0, 0, 1, 0);
    }

    @Test
    void completionAfterExpiryWithoutARegrantIsAccepted() {
      RunId run = run(dag("a", "b", "a>b"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires().plus(Duration.ofSeconds(5)));
      TaskCompletion done = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(done.unlocked()).extracting(TaskId::value).containsExactly("b");
      assertCounts(run, 2, 0, 1, 0, 1, 0);
      TaskGrant b = grant(run, B);
      assertThat(b.taskId().value()).isEqualTo("b");
      assertThat(b.leaseEpoch()).isEqualTo(1);
    }

    @Test
    void completionAfterTheLeaseWasReclaimedButNotRegrantedIsAccepted() {
      RunId run = run(dag("a", "b", "c", "a>c"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires());
      assertThat(grant(run, B).taskId().value()).isEqualTo("b"); // reclaims a to the tail
      assertCounts(run, 3, 1, 1, 1, 0, 0);
      assertRefused(
          () -> store.complete(run, a.taskId(), B, OptionalLong.empty(), proof(run, a.taskId(), B, 9), now()), ErrorCode.NOT_OWNER);
      TaskCompletion done = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(done.unlocked()).extracting(TaskId::value).containsExactly("c");
      assertCounts(run, 3, 0, 1, 1, 1, 0);
      // the reclaimed queue entry of a is gone: only c is left to grant
      assertThat(grantIds(run, 1)).containsExactly("c");
      assertThat(store.next(run, C, now(), POLICY)).isEmpty();
    }

    @Test
    void completionAfterARegrantIsRefusedForTheOldHolder() {
      RunId run = run(dag("a"));
      TaskGrant first = grant(run, A);
      clock.set(first.leaseExpires());
      TaskGrant second = grant(run, B);
      assertThat(second.taskId()).isEqualTo(first.taskId());
      assertThat(second.leaseEpoch()).isEqualTo(2);
      assertThat(second.attempt()).isEqualTo(2);
      assertRefused(
          () -> store.complete(run, first.taskId(), A, OptionalLong.of(1), proof(run, first.taskId(), A, 1), now()), ErrorCode.STALE_LEASE);
      assertRefused(
          () -> store.complete(run, first.taskId(), A, OptionalLong.empty(), proof(run, first.taskId(), A, 1), now()), ErrorCode.NOT_OWNER);
      assertRefused(
          () -> store.complete(run, first.taskId(), A, OptionalLong.of(2), proof(run, first.taskId(), A, 1), now()), ErrorCode.NOT_OWNER);
      assertCounts(run, 1, 0, 0, 1, 0, 0);
      assertThat(store.complete(run, second.taskId(), B, OptionalLong.of(2), proof(run, second.taskId(), B, 2), now()).repeat()).isFalse();
    }

    @Test
    void completionOfANeverGrantedTaskIsRefused() {
      RunId run = run(dag("a", "b", "a>b"));
      assertRefused(
          () -> store.complete(run, TaskId.of("a"), A, OptionalLong.empty(), proof(run, TaskId.of("a"), A, 1), now()),
          ErrorCode.TASK_NOT_RUNNING);
      assertRefused(
          () -> store.complete(run, TaskId.of("b"), A, OptionalLong.of(1), proof(run, TaskId.of("b"), A, 1), now()),
          ErrorCode.TASK_NOT_RUNNING);
      assertRefused(
          () -> store.fail(run, TaskId.of("b"), A, OptionalLong.of(1), now(), POLICY), ErrorCode.TASK_NOT_RUNNING);
      assertCounts(run, 2, 1, 1, 0, 0, 0);
    }
  }

  /** Reclaim: expired leases go back to the tail or fail. */
  @Nested
  class Reclaim {
    @Test
    void nextReclaimsAtExactlyTheExpiryInstantNotBefore() {
      RunId run = run(dag("a"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires().minus(NS));
      assertThat(store.next(run, B, now(), POLICY)).isEmpty();
      assertCounts(run, 1, 0, 0, 1, 0, 0);
      clock.set(a.leaseExpires());
      TaskGrant again = grant(run, B);
      assertThat(again.taskId()).isEqualTo(a.taskId());
      assertThat(again.leaseEpoch()).isEqualTo(2);
    }

    @Test
    void expiredLeasesGoBackToTheTailOfTheQueue() {
      RunId run = run(dag("a", "b", "c"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires());
      assertThat(grantIds(run, 3)).containsExactly("b", "c", "a");
    }

    @Test
    void severalReclaimedLeasesAreEnqueuedByExpiryThenTaskId() {
      RunId run = run(dag("a", "b", "c", "d", "e", "f"));
      TaskGrant a = grant(run, A);
      TaskGrant b = grant(run, B);
      clock.advance(Duration.ofMillis(1));
      TaskGrant c = grant(run, C);
      clock.advance(Duration.ofSeconds(10));
      // renew b then a at one instant: equal expiries, registered in the order b, a
      store.renew(run, b.taskId(), B, OptionalLong.of(1), now(), POLICY);
      store.renew(run, a.taskId(), A, OptionalLong.of(1), now(), POLICY);
      // now c expires first, then a and b together
      clock.advance(LEASE);
      assertCounts(run, 6, 0, 3, 3, 0, 0);
      assertThat(grantIds(run, 6)).containsExactly("d", "e", "f", "c", "a", "b");
      assertThat(c.leaseExpires()).isBefore(now());
    }

    @Test
    void aTaskWhoseAttemptsAreUsedUpFailsWhenItsLeaseIsReclaimed() {
      RunId run = run(dag("a", "b", "c", "a>c"));
      LeasePolicy twice = new LeasePolicy(LEASE, 2);
      TaskGrant a1 = store.next(run, A, now(), twice).orElseThrow();
      clock.set(a1.leaseExpires());
      TaskGrant b = store.next(run, B, now(), twice).orElseThrow();
      assertThat(b.taskId().value()).isEqualTo("b");
      TaskGrant a2 = store.next(run, C, now(), twice).orElseThrow();
      assertThat(a2.taskId().value()).isEqualTo("a");
      assertThat(a2.attempt()).isEqualTo(2);
      clock.set(a2.leaseExpires());
      store.complete(run, b.taskId(), B, OptionalLong.of(1), proof(run, b.taskId(), B, 2), now());
      // reclaiming a's second lease fails it; the run is then finished, but this call returns empty
      assertThat(store.next(run, A, now(), twice)).isEmpty();
      assertCounts(run, 3, 1, 0, 0, 1, 1);
      assertThat(store.status(run).orElseThrow().state()).isEqualTo(RunState.FAILED);
      assertRefused(() -> store.next(run, A, now(), twice), ErrorCode.RUN_FINISHED);
      assertRefused(
          () -> store.complete(run, a2.taskId(), C, OptionalLong.of(2), proof(run, a2.taskId(), C, 3), now()), ErrorCode.TASK_NOT_RUNNING);
    }
  }

  /** Failure reports and the attempt limit. */
  @Nested
  class FailureAndAttempts {
    @Test
    void failureRequeuesAtTheTailThenFailsAfterMaxAttempts() {
      RunId run = run(dag("a", "b", "c", "a>c"));
      LeasePolicy twice = new LeasePolicy(LEASE, 2);
      TaskGrant a1 = store.next(run, A, now(), twice).orElseThrow();
      TaskFailure f1 = store.fail(run, a1.taskId(), A, OptionalLong.of(1), now(), twice);
      assertThat(f1.attemptsExhausted()).isFalse();
      assertThat(f1.attempts()).isEqualTo(1);
      assertThat(f1.runId()).isEqualTo(run);
      assertThat(f1.taskId()).isEqualTo(a1.taskId());
      assertCounts(run, 3, 1, 2, 0, 0, 0);
      assertRefused(
          () -> store.complete(run, a1.taskId(), A, OptionalLong.of(1), proof(run, a1.taskId(), A, 1), now()), ErrorCode.TASK_NOT_RUNNING);
      TaskGrant b = store.next(run, B, now(), twice).orElseThrow();
      assertThat(b.taskId().value()).isEqualTo("b");
      TaskGrant a2 = store.next(run, A, now(), twice).orElseThrow();
      assertThat(a2.taskId().value()).isEqualTo("a");
      assertThat(a2.leaseEpoch()).isEqualTo(2);
      TaskFailure f2 = store.fail(run, a2.taskId(), A, OptionalLong.empty(), now(), twice);
      assertThat(f2.attemptsExhausted()).isTrue();
      assertThat(f2.attempts()).isEqualTo(2);
      assertCounts(run, 3, 1, 0, 1, 0, 1);
      assertThat(store.status(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      assertRefused(() -> store.fail(run, a2.taskId(), A, OptionalLong.of(2), now(), twice), ErrorCode.TASK_NOT_RUNNING);
      assertRefused(() -> store.fail(run, a2.taskId(), B, OptionalLong.of(2), now(), twice), ErrorCode.NOT_OWNER);
      store.complete(run, b.taskId(), B, OptionalLong.of(1), proof(run, b.taskId(), B, 2), now());
      // c depends on the failed a: it never runs, and the run has failed
      assertCounts(run, 3, 1, 0, 0, 1, 1);
      assertThat(store.status(run).orElseThrow().state()).isEqualTo(RunState.FAILED);
      assertRefused(() -> store.next(run, C, now(), twice), ErrorCode.RUN_FINISHED);
    }

    @Test
    void failureAfterExpiryBeforeReclaimRequeuesAtTheTail() {
      RunId run = run(dag("a", "b"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires().plus(LEASE));
      TaskFailure f = store.fail(run, a.taskId(), A, OptionalLong.of(1), now(), POLICY);
      assertThat(f.attemptsExhausted()).isFalse();
      assertThat(grantIds(run, 2)).containsExactly("b", "a");
    }

    @Test
    void failureOfAReclaimedTaskKeepsItsPlaceAndEndsTheClaim() {
      RunId run = run(dag("a", "b", "c"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires());
      assertThat(grant(run, B).taskId().value()).isEqualTo("b"); // queue now: c, a
      TaskFailure f = store.fail(run, a.taskId(), A, OptionalLong.of(1), now(), POLICY);
      assertThat(f.attemptsExhausted()).isFalse();
      assertThat(f.attempts()).isEqualTo(1);
      assertCounts(run, 3, 0, 2, 1, 0, 0);
      assertRefused(
          () -> store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now()), ErrorCode.TASK_NOT_RUNNING);
      assertThat(grantIds(run, 2)).containsExactly("c", "a");
      assertThat(store.next(run, C, now(), POLICY)).isEmpty();
    }

    @Test
    void failureOfAReclaimedTaskWithAttemptsUsedUpFailsIt() {
      RunId run = run(dag("a", "b", "c"));
      TaskGrant a = grant(run, A);
      clock.set(a.leaseExpires());
      grant(run, B);
      TaskFailure f = store.fail(run, a.taskId(), A, OptionalLong.of(1), now(), new LeasePolicy(LEASE, 1));
      assertThat(f.attemptsExhausted()).isTrue();
      assertCounts(run, 3, 0, 1, 1, 0, 1);
      assertThat(grantIds(run, 1)).containsExactly("c");
      assertThat(store.next(run, C, now(), POLICY)).isEmpty();
    }

    @Test
    void failureOfACompletedTaskIsRefused() {
      RunId run = run(dag("a", "b"));
      TaskGrant a = grant(run, A);
      store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertRefused(() -> store.fail(run, a.taskId(), A, OptionalLong.of(1), now(), POLICY), ErrorCode.ALREADY_COMPLETED);
      assertRefused(() -> store.fail(run, a.taskId(), B, OptionalLong.of(1), now(), POLICY), ErrorCode.NOT_OWNER);
      assertRefused(() -> store.fail(run, a.taskId(), A, OptionalLong.of(3), now(), POLICY), ErrorCode.STALE_LEASE);
    }
  }

  /** The run state from its counts. */
  @Nested
  class RunStates {
    @Test
    void aRunCompletesWhenEveryTaskCompletedAndThenRefusesGrants() {
      RunId run = run(dag("a", "b", "c", "a>b", "b>c"));
      for (String expected : List.of("a", "b", "c")) {
        assertThat(store.status(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        TaskGrant g = grant(run, A);
        assertThat(g.taskId().value()).isEqualTo(expected);
        store.complete(run, g.taskId(), A, OptionalLong.of(g.leaseEpoch()), proof(run, g.taskId(), A, expected.charAt(0)), now());
      }
      assertCounts(run, 3, 0, 0, 0, 3, 0);
      assertThat(store.status(run).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
      assertRefused(() -> store.next(run, B, now(), POLICY), ErrorCode.RUN_FINISHED);
    }

    @Test
    void runsOfOneDagAreIndependent() {
      ComputeDag dag = stored(dag("a", "b"));
      RunId one = store.createRun(dag.id(), now());
      RunId two = store.createRun(dag.id(), now());
      TaskGrant g = grant(one, A);
      store.complete(one, g.taskId(), A, OptionalLong.of(1), proof(one, g.taskId(), A, 1), now());
      assertCounts(one, 2, 0, 1, 0, 1, 0);
      assertCounts(two, 2, 0, 2, 0, 0, 0);
      assertThat(grant(two, B).taskId().value()).isEqualTo("a");
      assertRefused(
          () -> store.complete(two, g.taskId(), A, OptionalLong.of(1), proof(two, g.taskId(), A, 1), now()), ErrorCode.NOT_OWNER);
    }

    @Test
    void countsAddUpAfterEveryStep() {
      RunId run = run(dag("a", "b", "c", "d", "a>c", "b>c", "c>d"));
      assertCounts(run, 4, 2, 2, 0, 0, 0);
      TaskGrant a = grant(run, A);
      assertCounts(run, 4, 2, 1, 1, 0, 0);
      TaskGrant b = grant(run, B);
      assertCounts(run, 4, 2, 0, 2, 0, 0);
      store.renew(run, b.taskId(), B, OptionalLong.of(1), now(), POLICY);
      assertCounts(run, 4, 2, 0, 2, 0, 0);
      store.fail(run, b.taskId(), B, OptionalLong.of(1), now(), POLICY);
      assertCounts(run, 4, 2, 1, 1, 0, 0);
      store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertCounts(run, 4, 2, 1, 0, 1, 0);
      TaskGrant b2 = grant(run, C);
      clock.set(b2.leaseExpires());
      assertThat(store.next(run, A, now(), POLICY).orElseThrow().taskId()).isEqualTo(b2.taskId());
      assertCounts(run, 4, 2, 0, 1, 1, 0);
      store.complete(run, b2.taskId(), A, OptionalLong.of(3), proof(run, b2.taskId(), A, 2), now());
      assertCounts(run, 4, 1, 1, 0, 2, 0);
      TaskGrant c = grant(run, B);
      store.complete(run, c.taskId(), B, OptionalLong.of(1), proof(run, c.taskId(), B, 3), now());
      assertCounts(run, 4, 0, 1, 0, 3, 0);
      TaskGrant d = grant(run, B);
      store.complete(run, d.taskId(), B, OptionalLong.of(1), proof(run, d.taskId(), B, 4), now());
      assertCounts(run, 4, 0, 0, 0, 4, 0);
    }
  }

  /** The read views: a run's tasks and the stored DAGs. */
  @Nested
  class Views {
    @Test
    void tasksArePagedInCodePointOrderWithTheirLeases() {
      RunId run = run(dag("\uD83D\uDE00", "\uFFFD", "b", "a", "b>a"));
      TaskGrant b = grant(run, A);
      assertThat(b.taskId().value()).isEqualTo("b");
      List<TaskLeaseState> all = store.tasks(run, Optional.empty(), 10);
      assertThat(all).extracting(t -> t.taskId().value())
          .containsExactly("a", "b", "\uFFFD", "\uD83D\uDE00");
      assertThat(all).extracting(TaskLeaseState::state).containsExactly(
          LeaseState.PENDING, LeaseState.RUNNING, LeaseState.READY, LeaseState.READY);
      TaskLeaseState running = all.get(1);
      assertThat(running.owner()).contains(A);
      assertThat(running.leaseExpires()).contains(b.leaseExpires());
      assertThat(running.leaseEpoch()).isEqualTo(1);
      assertThat(all.get(0).owner()).isEmpty();
      assertThat(all.get(0).leaseExpires()).isEmpty();
      assertThat(all.get(0).leaseEpoch()).isZero();
      assertThat(store.tasks(run, Optional.of(TaskId.of("a")), 2)).extracting(t -> t.taskId().value())
          .containsExactly("b", "\uFFFD");
      assertThat(store.tasks(run, Optional.of(TaskId.of("\uD83D\uDE00")), 5)).isEmpty();
      assertThat(store.tasks(run, Optional.empty(), 0)).isEmpty();
    }

    @Test
    void aCompletedOrReclaimedTaskShowsNoLease() {
      RunId run = run(dag("a", "b"));
      TaskGrant a = grant(run, A);
      store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      TaskGrant b = grant(run, B);
      clock.set(b.leaseExpires());
      assertThat(store.next(run, C, now(), POLICY)).map(TaskGrant::taskId).contains(b.taskId());
      store.fail(run, b.taskId(), C, OptionalLong.of(2), now(), POLICY);
      List<TaskLeaseState> all = store.tasks(run, Optional.empty(), 10);
      assertThat(all.get(0).state()).isEqualTo(LeaseState.COMPLETED);
      assertThat(all.get(0).owner()).isEmpty();
      assertThat(all.get(1).state()).isEqualTo(LeaseState.READY);
      assertThat(all.get(1).leaseEpoch()).isEqualTo(2);
      assertThat(all.get(1).leaseExpires()).isEmpty();
    }

    @Test
    void tasksOfAnUnknownRunOrAfterAnUnknownTaskAreRefused() {
      RunId run = run(dag("a"));
      assertRefused(() -> store.tasks(RunId.of("run-" + uniqueName("none") + "-1"), Optional.empty(), 5),
          ErrorCode.UNKNOWN_RUN);
      assertRefused(() -> store.tasks(run, Optional.of(TaskId.of("zz")), 5), ErrorCode.UNKNOWN_TASK);
    }

    @Test
    void dagsArePagedInIdOrder() {
      ComputeDag one = stored(dag("a"));
      ComputeDag two = stored(dag("a", "b", "a>b"));
      List<DagSummary> all = new ArrayList<>();
      Optional<DagId> after = Optional.empty();
      while (true) {
        List<DagSummary> page = store.dags(after, 2);
        if (page.isEmpty()) {
          break;
        }
        all.addAll(page);
        after = Optional.of(page.get(page.size() - 1).dagId());
      }
      assertThat(all).extracting(DagSummary::dagId).isSortedAccordingTo(DagId::compareTo)
          .contains(one.id(), two.id());
      DagSummary s = all.stream().filter(d -> d.dagId().equals(two.id())).findFirst().orElseThrow();
      assertThat(s.rootHash()).isEqualTo(two.rootHash());
      assertThat(s.name()).isEqualTo(two.name());
      assertThat(s.tasks()).isEqualTo(2);
      assertThat(s.edges()).isEqualTo(1);
      assertThat(store.dags(Optional.empty(), 0)).isEmpty();
    }
  }

  /** Completions append their proofs to the set's record, atomically and once. */
  @Nested
  class ProofRecord {
    @Test
    void aCompletionRecordsItsProofInTheSetsLedger() {
      RunId run = run(dag("a", "b"));
      TaskGrant a = grant(run, A);
      AcceptedProof p = proof(run, a.taskId(), A, 1);
      long before = stores.ledger().size();
      TaskCompletion done = store.complete(run, a.taskId(), A, OptionalLong.of(1), p, now());
      RecordedProof recorded = done.recorded().orElseThrow();
      assertThat(recorded.proof()).isEqualTo(p);
      assertThat(recorded.seq()).isGreaterThanOrEqualTo(before);
      assertThat(stores.ledger().size()).isEqualTo(recorded.seq() + 1);
      assertThat(stores.ledger().find(p.proofHash())).contains(recorded);
      assertThat(recorded.ledgerIndex()).isEmpty(); // the contract's proofs are unverified
    }

    @Test
    void aRepeatReturnsTheFirstRecordAndRecordsNothing() {
      RunId run = run(dag("a"));
      TaskGrant a = grant(run, A);
      TaskCompletion first = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      long size = stores.ledger().size();
      clock.advance(Duration.ofSeconds(3));
      TaskCompletion again = store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, 1), now());
      assertThat(again.repeat()).isTrue();
      assertThat(again.recorded()).isEqualTo(first.recorded());
      assertThat(stores.ledger().size()).isEqualTo(size);
    }

    @Test
    void aRefusedCompletionRecordsNothing() {
      RunId run = run(dag("a"));
      TaskGrant a = grant(run, A);
      long size = stores.ledger().size();
      AcceptedProof byB = proof(run, a.taskId(), B, 5);
      assertRefused(() -> store.complete(run, a.taskId(), B, OptionalLong.of(1), byB, now()), ErrorCode.NOT_OWNER);
      assertRefused(() -> store.complete(run, a.taskId(), A, OptionalLong.of(2), byB, now()), ErrorCode.STALE_LEASE);
      assertThat(stores.ledger().size()).isEqualTo(size);
      assertThat(stores.ledger().find(byB.proofHash())).isEmpty();
    }

    @Test
    void aProofIdentityAlreadyRecordedForAnotherTaskIsRefusedAsReplayed() {
      RunId run = run(dag("a", "b"));
      TaskGrant a = grant(run, A);
      TaskGrant b = grant(run, A);
      Sha256Digest identity = Sha256Digest.hash(bytes(uniqueName("replayed")));
      store.complete(run, a.taskId(), A, OptionalLong.of(1), proof(run, a.taskId(), A, identity), now());
      long size = stores.ledger().size();
      assertRefused(() -> store.complete(run, b.taskId(), A, OptionalLong.of(1), proof(run, b.taskId(), A, identity), now()),
          ErrorCode.REPLAYED_PROOF);
      assertThat(stores.ledger().size()).isEqualTo(size);
      assertCounts(run, 2, 0, 0, 1, 1, 0);
      // the claim is intact: a fresh proof completes the task
      assertThat(store.complete(run, b.taskId(), A, OptionalLong.of(1), proof(run, b.taskId(), A, 2), now()).repeat())
          .isFalse();
    }
  }

  /** Concurrent grants. */
  @Nested
  class Concurrency {
    @Test
    void twoNodesRacingForTheLastReadyTaskExactlyOneWins() throws Exception {
      ComputeDag dag = stored(dag("last"));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 50; round++) {
          RunId run = store.createRun(dag.id(), now());
          CyclicBarrier start = new CyclicBarrier(2);
          Future<Optional<TaskGrant>> first = pool.submit(() -> race(start, run, A));
          Future<Optional<TaskGrant>> second = pool.submit(() -> race(start, run, B));
          Optional<TaskGrant> g1 = first.get(30, TimeUnit.SECONDS);
          Optional<TaskGrant> g2 = second.get(30, TimeUnit.SECONDS);
          assertThat(g1.isPresent() ^ g2.isPresent()).as("exactly one grant in round %d", round).isTrue();
          assertThat(g1.or(() -> g2).orElseThrow().leaseEpoch()).isEqualTo(1);
          assertCounts(run, 1, 0, 0, 1, 0, 0);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    private Optional<TaskGrant> race(CyclicBarrier start, RunId run, NodeId node) throws Exception {
      start.await(30, TimeUnit.SECONDS);
      return store.next(run, node, now(), POLICY);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for subclasses and tests

  /** The fake clock's current instant. */
  protected final Instant now() {
    return clock.instant();
  }

  /**
   * Compiles a DAG from task ids and edges written {@code "from>to"} (to depends on from); the
   * name is unique per call, so DAG ids never collide between tests.
   */
  protected static ComputeDag dag(String... tasksAndEdges) {
    List<DagSpec.Node> nodes = new ArrayList<>();
    List<DagSpec.Edge> edges = new ArrayList<>();
    for (String s : tasksAndEdges) {
      int arrow = s.indexOf('>');
      if (arrow < 0) {
        nodes.add(new DagSpec.Node(s, 10 + nodes.size(), "", JsonNull.INSTANCE));
      } else {
        edges.add(new DagSpec.Edge(s.substring(0, arrow), s.substring(arrow + 1)));
      }
    }
    return ComputeDag.compile(new DagSpec(uniqueName("contract"), nodes, edges));
  }

  /** Stores a DAG and returns it. */
  protected final ComputeDag stored(ComputeDag dag) {
    store.putDag(dag);
    return dag;
  }

  /** Stores a DAG and creates a run of it at {@link #now()}. */
  protected final RunId run(ComputeDag dag) {
    return store.createRun(stored(dag).id(), now());
  }

  /** A task proof whose identity is distinct per run, task and seed. */
  protected static AcceptedProof proof(RunId run, TaskId task, NodeId node, int seed) {
    return proof(run, task, node,
        Sha256Digest.hash(bytes("proof-" + run.value() + "\u0000" + task.value() + "\u0000" + seed)));
  }

  /** An accepted, unverified task proof whose identity is {@code identity}. */
  protected static AcceptedProof proof(RunId run, TaskId task, NodeId node, Sha256Digest identity) {
    return new AcceptedProof(ProofKind.TASK, node, Optional.empty(), OptionalLong.empty(),
        Optional.of(run), Optional.of(task), Optional.of(Sha256Digest.hash(bytes("task-" + task))),
        1, Optional.empty(), 1, "contract", 1, Optional.empty(), Optional.empty(),
        Optional.empty(), identity, 0, Optional.empty(), Instant.EPOCH, "contract");
  }

  private TaskGrant grant(RunId run, NodeId node) {
    Optional<TaskGrant> g = store.next(run, node, now(), POLICY);
    assertThat(g).as("a grant for %s", node).isPresent();
    return g.get();
  }

  private List<String> grantIds(RunId run, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(grant(run, NodeId.of("kc_grant_" + i)).taskId().value());
    }
    return ids;
  }

  private void assertCounts(
      RunId run, int total, int pending, int ready, int running, int completed, int failed) {
    RunStatus s = store.status(run).orElseThrow();
    assertThat(List.of(s.tasksTotal(), s.tasksPending(), s.tasksReady(), s.tasksRunning(), s.tasksCompleted(), s.tasksFailed()))
        .as("total, pending, ready, running, completed, failed")
        .containsExactly(total, pending, ready, running, completed, failed);
  }

  private static void assertRefused(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(KasComputeException.class)
        .satisfies(e -> assertThat(((KasComputeException) e).code()).as(e.getMessage()).isEqualTo(code));
  }

  private static String uniqueName(String prefix) {
    return prefix + "-" + System.nanoTime() + "-" + NAMES.incrementAndGet();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final java.util.concurrent.atomic.AtomicLong NAMES =
      new java.util.concurrent.atomic.AtomicLong();
}
