package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.JobState;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.jobs.JobCompletion;
import io.kascompute.dag.jobs.JobCounts;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.jobs.JobRecord;
import io.kascompute.dag.jobs.JobStore;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.testkit.FakeClock;
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
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JobStore} must pass: extend this class (or {@link
 * CoordinatorStoresContract}) and return a fresh, empty store set from {@link
 * #newStores(DirectoryLimits)}. The nested groups follow the rules of the {@link JobStore}
 * Javadoc: adding and topping up, grants in id order, reclaim ahead of new jobs and expiry after
 * the attempt limit, completion with its proof record, every refusal in order, and the views.
 */
public abstract class JobStoreContract {
  /** The job policy the tests use unless they say otherwise: 60 s leases, 3 attempts. */
  protected static final LeasePolicy POLICY = LeasePolicy.JOB_DEFAULT;

  /** The instant the fake clock starts at. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static final NodeId A = NodeId.of("kc_job_a");
  private static final NodeId B = NodeId.of("kc_job_b");
  private static final Duration LEASE = POLICY.leaseDuration();

  /** The set under test, fresh and empty for every test. */
  protected CoordinatorStores stores;

  /** Its job store. */
  protected JobStore jobs;

  /** The clock the tests read {@code now} from. */
  protected FakeClock clock;

  /** A fresh, empty store set whose directory has these bounds; called before every test. */
  protected abstract CoordinatorStores newStores(DirectoryLimits directoryLimits);

  /** Releases the set after every test; closes it by default. */
  protected void closeStores(CoordinatorStores stores) throws Exception {
    stores.close();
  }

  @BeforeEach
  final void setUpJobs() {
    clock = FakeClock.at(START);
    stores = newStores(DirectoryLimits.DEFAULT);
    jobs = stores.jobs();
  }

  @AfterEach
  final void tearDownJobs() throws Exception {
    closeStores(stores);
  }

  /** Adding jobs and topping the pool up. */
  @Nested
  class Adding {
    @Test
    void addedJobsArePendingWithIncreasingIdsAndGrantedInIdOrder() {
      long first = jobs.add(100, now());
      long second = jobs.add(200, now());
      assertThat(Long.compareUnsigned(second, first)).isPositive();
      JobRecord r = jobs.job(first).orElseThrow();
      assertThat(r.state()).isEqualTo(JobState.PENDING);
      assertThat(r.workUnits()).isEqualTo(100);
      assertThat(r.leaseEpoch()).isZero();
      assertThat(r.owner()).isEmpty();
      assertThat(r.granted()).isEmpty();
      assertThat(r.created()).isEqualTo(now());
      assertThat(grant(A).jobId()).isEqualTo(first);
      assertThat(grant(B).jobId()).isEqualTo(second);
      assertThat(jobs.next(A, now(), POLICY)).isEmpty();
    }

    @Test
    void unsignedWorkUnitsRoundTrip() {
      long id = jobs.add(-1L, now());
      assertThat(jobs.job(id).orElseThrow().workUnits()).isEqualTo(-1L);
      assertThat(grant(A).workUnits()).isEqualTo(-1L);
    }

    @Test
    void topUpAddsUntilEnoughArePendingAndCountsThem() {
      jobs.add(5, now());
      AtomicLong units = new AtomicLong(1000);
      assertThat(jobs.topUp(4, units::incrementAndGet, now())).isEqualTo(3);
      assertThat(jobs.counts().pending()).isEqualTo(4);
      assertThat(jobs.topUp(4, units::incrementAndGet, now())).isZero();
      grant(A);
      assertThat(jobs.topUp(4, units::incrementAndGet, now())).isEqualTo(1);
      assertThat(jobs.counts()).isEqualTo(new JobCounts(4, 1, 0, 0));
      List<Long> pendingUnits = new ArrayList<>();
      for (JobRecord r : jobs.jobs(OptionalLong.empty(), 10)) {
        if (r.state() == JobState.PENDING) {
          pendingUnits.add(r.workUnits());
        }
      }
      assertThat(pendingUnits).containsExactlyInAnyOrder(1001L, 1002L, 1003L, 1004L);
    }

    @Test
    void concurrentTopUpsNeverOverfill() throws Exception {
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int round = 0; round < 5; round++) {
          CyclicBarrier start = new CyclicBarrier(threads);
          List<Future<Integer>> added = new ArrayList<>();
          int target = 10 * (round + 1);
          for (int t = 0; t < threads; t++) {
            added.add(pool.submit(() -> {
              start.await(30, TimeUnit.SECONDS);
              return jobs.topUp(target, () -> 7, now());
            }));
          }
          int sum = 0;
          for (Future<Integer> f : added) {
            sum += f.get(60, TimeUnit.SECONDS);
          }
          assertThat(sum).isEqualTo(10);
          assertThat(jobs.counts().pending()).isEqualTo(target);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Grants, reclaim ahead of new jobs, and expiry after the attempt limit. */
  @Nested
  class GrantsAndReclaim {
    @Test
    void aGrantCarriesTheLease() {
      long id = jobs.add(300, now());
      JobGrant g = grant(A);
      assertThat(g.jobId()).isEqualTo(id);
      assertThat(g.workUnits()).isEqualTo(300);
      assertThat(g.node()).isEqualTo(A);
      assertThat(g.granted()).isEqualTo(now());
      assertThat(g.leaseExpires()).isEqualTo(now().plus(LEASE));
      assertThat(g.leaseEpoch()).isEqualTo(1);
      JobRecord r = jobs.job(id).orElseThrow();
      assertThat(r.state()).isEqualTo(JobState.RUNNING);
      assertThat(r.owner()).contains(A);
      assertThat(r.granted()).contains(now());
      assertThat(r.leaseExpires()).contains(g.leaseExpires());
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 1, 0, 0));
    }

    @Test
    void anExpiredLeaseIsReclaimedAtExactlyItsExpiryAheadOfNewJobs() {
      long first = jobs.add(1, now());
      JobGrant g = grant(A);
      long second = jobs.add(2, now());
      clock.set(g.leaseExpires().minusNanos(1));
      assertThat(grant(B).jobId()).isEqualTo(second);
      long third = jobs.add(3, now());
      clock.set(g.leaseExpires());
      JobGrant again = grant(B);
      assertThat(again.jobId()).isEqualTo(first);
      assertThat(again.leaseEpoch()).isEqualTo(2);
      assertThat(grant(A).jobId()).isEqualTo(third);
    }

    @Test
    void severalReclaimedJobsQueueInExpiryOrderThenIdAheadOfNewJobs() {
      long j1 = jobs.add(1, now());
      long j2 = jobs.add(1, now());
      long j3 = jobs.add(1, now());
      JobGrant g1 = grant(A);
      clock.advance(Duration.ofMillis(5));
      JobGrant g2 = grant(A);
      JobGrant g3 = grant(A);
      assertThat(List.of(g1.jobId(), g2.jobId(), g3.jobId())).containsExactly(j1, j2, j3);
      long fresh = jobs.add(1, now());
      clock.advance(LEASE.plusSeconds(1));
      // j1 expired first; j2 and j3 expired together and go in id order
      assertThat(List.of(grant(B).jobId(), grant(B).jobId(), grant(B).jobId(), grant(B).jobId()))
          .containsExactly(j1, j2, j3, fresh);
    }

    @Test
    void aJobExpiresAfterItsLastAttemptIsReclaimed() {
      LeasePolicy twice = new LeasePolicy(LEASE, 2);
      long id = jobs.add(1, now());
      JobGrant first = jobs.next(A, now(), twice).orElseThrow();
      clock.set(first.leaseExpires());
      JobGrant second = jobs.next(B, now(), twice).orElseThrow();
      assertThat(second.jobId()).isEqualTo(id);
      assertThat(second.leaseEpoch()).isEqualTo(2);
      clock.set(second.leaseExpires());
      assertThat(jobs.next(A, now(), twice)).isEmpty();
      JobRecord r = jobs.job(id).orElseThrow();
      assertThat(r.state()).isEqualTo(JobState.EXPIRED);
      assertThat(r.leaseEpoch()).isEqualTo(2);
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 0, 0, 1));
      assertRefused(() -> jobs.complete(id, B, OptionalLong.of(2), proof(id, B, 1), now()),
          ErrorCode.TASK_NOT_RUNNING);
    }

    @Test
    void emptyPoolGrantsNothing() {
      assertThat(jobs.next(A, now(), POLICY)).isEmpty();
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 0, 0, 0));
    }
  }

  /** Completion with the proof record, and every refusal in order. */
  @Nested
  class Completion {
    @Test
    void completionRecordsTheProofAndARepeatReturnsTheFirstRecord() {
      long id = jobs.add(10, now());
      JobGrant g = grant(A);
      clock.advance(Duration.ofSeconds(12));
      AcceptedProof p = KitProofs.job(id, A, 10, identity(id, 1), g.granted(), now());
      JobCompletion done = jobs.complete(id, A, OptionalLong.of(1), p, now());
      assertThat(done.jobId()).isEqualTo(id);
      assertThat(done.repeat()).isFalse();
      RecordedProof recorded = done.recorded().orElseThrow();
      assertThat(recorded.proof()).isEqualTo(p);
      assertThat(stores.ledger().find(p.proofHash())).contains(recorded);
      JobRecord r = jobs.job(id).orElseThrow();
      assertThat(r.state()).isEqualTo(JobState.COMPLETED);
      assertThat(r.completed()).contains(now());
      assertThat(r.proofHash()).contains(p.proofHash());
      assertThat(r.owner()).contains(A);
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 0, 1, 0));
      long size = stores.ledger().size();
      clock.advance(Duration.ofSeconds(5));
      JobCompletion again = jobs.complete(id, A, OptionalLong.empty(), p, now());
      assertThat(again.repeat()).isTrue();
      assertThat(again.recorded()).contains(recorded);
      assertThat(stores.ledger().size()).isEqualTo(size);
    }

    @Test
    void lateWorkIsAcceptedUntilSomeoneElseIsGrantedTheJob() {
      long id = jobs.add(10, now());
      JobGrant g = grant(A);
      clock.set(g.leaseExpires().plusSeconds(1));
      assertThat(jobs.complete(id, A, OptionalLong.of(1), proof(id, A, 1), now()).repeat()).isFalse();

      long other = jobs.add(10, now());
      JobGrant h = grant(A);
      assertThat(h.jobId()).isEqualTo(other);
      clock.set(h.leaseExpires());
      long fresh = jobs.add(10, now());
      // the next grant reclaims the expired job first and hands it out again
      JobGrant regrant = grant(B);
      assertThat(regrant.jobId()).isEqualTo(other);
      assertRefused(() -> jobs.complete(other, A, OptionalLong.of(1), proof(other, A, 1), now()),
          ErrorCode.STALE_LEASE);
      assertRefused(() -> jobs.complete(other, A, OptionalLong.empty(), proof(other, A, 1), now()),
          ErrorCode.NOT_OWNER);
      assertThat(jobs.complete(other, B, OptionalLong.of(2), proof(other, B, 2), now()).repeat())
          .isFalse();
      assertThat(jobs.job(fresh).orElseThrow().state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void aReclaimedJobNotGrantedAgainCanStillBeCompletedByItsOwner() {
      long j1 = jobs.add(10, now());
      long j2 = jobs.add(10, now());
      grant(A);
      JobGrant g2 = grant(A);
      clock.set(g2.leaseExpires());
      // B's grant reclaims both (same expiry, id order) and takes j1; j2 waits, still A's claim
      assertThat(grant(B).jobId()).isEqualTo(j1);
      assertThat(jobs.counts()).isEqualTo(new JobCounts(1, 1, 0, 0));
      assertRefused(() -> jobs.complete(j2, B, OptionalLong.empty(), proof(j2, B, 1), now()),
          ErrorCode.NOT_OWNER);
      assertThat(jobs.complete(j2, A, OptionalLong.of(1), proof(j2, A, 1), now()).repeat()).isFalse();
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 1, 1, 0));
      assertThat(jobs.next(A, now(), POLICY)).isEmpty();
    }

    @Test
    void refusalsFollowTheOrderOfChecksAndChangeNothing() {
      assertRefused(() -> jobs.complete(987_654_321L, A, OptionalLong.empty(),
          proof(987_654_321L, A, 1), now()), ErrorCode.UNKNOWN_JOB);
      long id = jobs.add(10, now());
      assertRefused(() -> jobs.complete(id, A, OptionalLong.of(1), proof(id, A, 1), now()),
          ErrorCode.TASK_NOT_RUNNING);
      JobGrant g = grant(A);
      assertRefused(() -> jobs.complete(id, A, OptionalLong.of(2), proof(id, A, 1), now()),
          ErrorCode.STALE_LEASE);
      assertRefused(() -> jobs.complete(id, B, OptionalLong.of(1), proof(id, B, 1), now()),
          ErrorCode.NOT_OWNER);
      assertRefused(() -> jobs.complete(id, B, OptionalLong.of(2), proof(id, B, 1), now()),
          ErrorCode.STALE_LEASE);
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 1, 0, 0));
      assertThat(stores.ledger().size()).isZero();
      jobs.complete(id, A, OptionalLong.of(g.leaseEpoch()), proof(id, A, 1), now());
      assertRefused(() -> jobs.complete(id, A, OptionalLong.of(1), proof(id, A, 2), now()),
          ErrorCode.ALREADY_COMPLETED);
      assertRefused(() -> jobs.complete(id, B, OptionalLong.empty(), proof(id, A, 1), now()),
          ErrorCode.NOT_OWNER);
      assertThat(stores.ledger().size()).isEqualTo(1);
    }

    @Test
    void aProofIdentityAlreadyRecordedIsRefusedAsReplayedForAnotherJob() {
      long one = jobs.add(10, now());
      long two = jobs.add(10, now());
      grant(A);
      grant(A);
      Sha256Digest same = KitProofs.identity(KitProofs.unique("replay"));
      jobs.complete(one, A, OptionalLong.of(1), KitProofs.job(one, A, 10, same, now(), now()), now());
      assertRefused(() -> jobs.complete(two, A, OptionalLong.of(1),
          KitProofs.job(two, A, 10, same, now(), now()), now()), ErrorCode.REPLAYED_PROOF);
      assertThat(jobs.job(two).orElseThrow().state()).isEqualTo(JobState.RUNNING);
      assertThat(jobs.counts()).isEqualTo(new JobCounts(0, 1, 1, 0));
      assertThat(stores.ledger().size()).isEqualTo(1);
    }
  }

  /** The read views. */
  @Nested
  class Views {
    @Test
    void jobsArePagedInIdOrder() {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(jobs.add(i, now()));
      }
      assertThat(jobs.jobs(OptionalLong.empty(), 3)).extracting(JobRecord::jobId)
          .containsExactlyElementsOf(ids.subList(0, 3));
      assertThat(jobs.jobs(OptionalLong.of(ids.get(2)), 10)).extracting(JobRecord::jobId)
          .containsExactlyElementsOf(ids.subList(3, 5));
      assertThat(jobs.jobs(OptionalLong.of(-1L), 10)).isEmpty();
      assertThat(jobs.jobs(OptionalLong.empty(), 0)).isEmpty();
      assertThat(jobs.job(-7L)).isEmpty();
    }

    @Test
    void recentListsTheMostRecentlyChangedFirst() {
      long a = jobs.add(1, now());
      long b = jobs.add(1, now());
      long c = jobs.add(1, now());
      assertThat(jobs.recent(10)).extracting(JobRecord::jobId).containsExactly(c, b, a);
      clock.advance(Duration.ofSeconds(1));
      JobGrant g = grant(A);
      assertThat(g.jobId()).isEqualTo(a);
      assertThat(jobs.recent(2)).extracting(JobRecord::jobId).containsExactly(a, c);
      JobRecord top = jobs.recent(1).get(0);
      assertThat(top.changed()).isEqualTo(now());
      clock.advance(Duration.ofSeconds(1));
      jobs.complete(a, A, OptionalLong.of(1), proof(a, A, 1), now());
      jobs.complete(a, A, OptionalLong.of(1), proof(a, A, 1), now()); // a repeat changes nothing
      clock.advance(Duration.ofSeconds(1));
      grant(B);
      assertThat(jobs.recent(3)).extracting(JobRecord::jobId).containsExactly(b, a, c);
      assertThat(jobs.recent(0)).isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The fake clock's current instant. */
  protected final Instant now() {
    return clock.instant();
  }

  private JobGrant grant(NodeId node) {
    Optional<JobGrant> g = jobs.next(node, now(), POLICY);
    assertThat(g).as("a job for %s", node).isPresent();
    return g.get();
  }

  private static Sha256Digest identity(long jobId, int seed) {
    return KitProofs.identity("job-proof-" + KitProofs.unique(jobId + "-" + seed));
  }

  /** A job proof whose identity is the same for the same job, node and seed within a test. */
  private AcceptedProof proof(long jobId, NodeId node, int seed) {
    return KitProofs.job(jobId, node, 10,
        KitProofs.identity("job-" + jobId + "-" + node + "-" + seed + "-" + START), START, now());
  }

  private static void assertRefused(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(KasComputeException.class)
        .satisfies(e -> assertThat(((KasComputeException) e).code()).as(e.getMessage()).isEqualTo(code));
  }
}
