package io.kascompute.dag.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.dag.lease.LeasePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class JobBoardTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LEASE = LeasePolicy.JOB_DEFAULT.leaseDuration();
  private static final NodeId A = NodeId.of("kc_a");
  private static final NodeId B = NodeId.of("kc_b");
  private static final Sha256Digest P1 = Sha256Digest.hash("1".getBytes(StandardCharsets.UTF_8));
  private static final Sha256Digest P2 = Sha256Digest.hash("2".getBytes(StandardCharsets.UTF_8));

  private final BoundedJobQueue queue = new BoundedJobQueue(4);
  private final JobBoard board = new JobBoard(queue);

  @Test
  void leasesJobsFromTheSourceWithTheV1JobLease() {
    assertThat(queue.offer(new Job(-1L, 42))).isTrue(); // 2^64-1 as an unsigned id
    JobLease lease = board.next(A, T0).orElseThrow();
    assertThat(lease.jobId()).isEqualTo(-1L);
    assertThat(lease.workUnits()).isEqualTo(42);
    assertThat(lease.leaseExpires()).isEqualTo(T0.plusSeconds(60));
    assertThat(lease.leaseEpoch()).isEqualTo(1);
    assertThat(board.next(B, T0)).isEmpty();
    assertThat(board.status()).isEqualTo(new JobBoardStatus(0, 1, 0, 0));
  }

  @Test
  void boundedQueueRefusesWhenFull() {
    for (int i = 0; i < 4; i++) {
      assertThat(queue.offer(new Job(i, 1))).isTrue();
    }
    assertThat(queue.offer(new Job(9, 1))).isFalse();
    assertThat(queue.size()).isEqualTo(4);
  }

  @Test
  void renewIsAcceptedOneNanosecondBeforeExpiryAndRefusedAtIt() {
    queue.offer(new Job(7, 1));
    JobLease lease = board.next(A, T0).orElseThrow();
    Instant before = lease.leaseExpires().minusNanos(1);
    JobLease renewed = board.renew(7, A, OptionalLong.of(1), before);
    assertThat(renewed.leaseExpires()).isEqualTo(before.plus(LEASE));
    assertRefused(() -> board.renew(7, A, OptionalLong.of(1), renewed.leaseExpires()), ErrorCode.LEASE_EXPIRED);
    assertRefused(() -> board.renew(7, B, OptionalLong.empty(), before), ErrorCode.NOT_OWNER);
    assertRefused(() -> board.renew(7, A, OptionalLong.of(2), before), ErrorCode.STALE_LEASE);
    assertRefused(() -> board.renew(8, A, OptionalLong.empty(), before), ErrorCode.UNKNOWN_JOB);
  }

  @Test
  void expiredJobsAreRequeuedAheadOfNewJobsThenFailedAfterTheAttemptLimit() {
    JobBoard twice = new JobBoard(queue, new LeasePolicy(LEASE, 2), 10);
    queue.offer(new Job(1, 1));
    queue.offer(new Job(2, 1));
    JobLease first = twice.next(A, T0).orElseThrow();
    Instant later = first.leaseExpires();
    JobLease again = twice.next(B, later).orElseThrow();
    assertThat(again.jobId()).isEqualTo(1);
    assertThat(again.leaseEpoch()).isEqualTo(2);
    assertRefused(() -> twice.complete(1, A, OptionalLong.of(1), P1, later), ErrorCode.STALE_LEASE);
    assertRefused(() -> twice.complete(1, A, OptionalLong.empty(), P1, later), ErrorCode.NOT_OWNER);
    Instant end = again.leaseExpires();
    JobLease two = twice.next(A, end).orElseThrow();
    assertThat(two.jobId()).isEqualTo(2);
    assertThat(twice.status()).isEqualTo(new JobBoardStatus(0, 1, 0, 1));
    assertRefused(() -> twice.complete(1, B, OptionalLong.of(2), P1, end), ErrorCode.TASK_NOT_RUNNING);
  }

  @Test
  void completionIsIdempotentAndAcceptedAfterExpiryWithoutARegrant() {
    queue.offer(new Job(5, 1));
    JobLease lease = board.next(A, T0).orElseThrow();
    Instant late = lease.leaseExpires().plusSeconds(10);
    assertThat(board.complete(5, A, OptionalLong.of(1), P1, late)).isEqualTo(new JobCompletion(5, false));
    assertThat(board.complete(5, A, OptionalLong.empty(), P1, late)).isEqualTo(new JobCompletion(5, true));
    assertRefused(() -> board.complete(5, A, OptionalLong.of(1), P2, late), ErrorCode.ALREADY_COMPLETED);
    assertRefused(() -> board.renew(5, A, OptionalLong.of(1), late), ErrorCode.ALREADY_COMPLETED);
    assertRefused(() -> board.fail(5, A, OptionalLong.of(1), late), ErrorCode.ALREADY_COMPLETED);
    assertThat(board.next(B, late)).isEmpty();
    assertThat(board.status()).isEqualTo(new JobBoardStatus(0, 0, 1, 0));
  }

  @Test
  void completionOfAReclaimedJobBeforeItsRegrantIsAccepted() {
    queue.offer(new Job(1, 1));
    queue.offer(new Job(2, 1));
    board.next(A, T0).orElseThrow();
    JobLease two = board.next(B, T0).orElseThrow();
    // both expire together; they are requeued in job-id order and job 1 is granted again at once
    JobLease again = board.next(NodeId.of("kc_c"), two.leaseExpires()).orElseThrow();
    assertThat(again.jobId()).isEqualTo(1);
    assertThat(board.status()).isEqualTo(new JobBoardStatus(1, 1, 0, 0));
    assertThat(board.complete(2, B, OptionalLong.of(1), P2, two.leaseExpires()).repeat()).isFalse();
    assertThat(board.status()).isEqualTo(new JobBoardStatus(0, 1, 1, 0));
    assertThat(board.next(A, two.leaseExpires())).isEmpty();
  }

  @Test
  void failureRequeuesThenFails() {
    JobBoard twice = new JobBoard(queue, new LeasePolicy(LEASE, 2), 10);
    queue.offer(new Job(1, 1));
    twice.next(A, T0).orElseThrow();
    assertThat(twice.fail(1, A, OptionalLong.of(1), T0)).isEqualTo(new JobFailure(1, false, 1));
    assertRefused(() -> twice.complete(1, A, OptionalLong.of(1), P1, T0), ErrorCode.TASK_NOT_RUNNING);
    assertThat(twice.next(B, T0).orElseThrow().leaseEpoch()).isEqualTo(2);
    assertThat(twice.fail(1, B, OptionalLong.empty(), T0)).isEqualTo(new JobFailure(1, true, 2));
    assertThat(twice.next(A, T0)).isEmpty();
    assertThat(twice.status()).isEqualTo(new JobBoardStatus(0, 0, 0, 1));
  }

  @Test
  void generatorSourcesAndRetentionOfFinishedJobs() {
    AtomicLong ids = new AtomicLong();
    JobBoard generated =
        new JobBoard(now -> Optional.of(new Job(ids.incrementAndGet(), 10)), LeasePolicy.JOB_DEFAULT, 2);
    for (int i = 1; i <= 3; i++) {
      JobLease l = generated.next(A, T0).orElseThrow();
      assertThat(l.jobId()).isEqualTo(i);
      generated.complete(l.jobId(), A, OptionalLong.of(1), P1, T0);
    }
    assertRefused(() -> generated.complete(1, A, OptionalLong.of(1), P1, T0), ErrorCode.UNKNOWN_JOB);
    assertThat(generated.complete(3, A, OptionalLong.of(1), P1, T0).repeat()).isTrue();
  }

  @Test
  void aJobIdTheBoardStillKnowsIsSkipped() {
    queue.offer(new Job(1, 1));
    queue.offer(new Job(1, 2));
    queue.offer(new Job(2, 3));
    assertThat(board.next(A, T0).orElseThrow().workUnits()).isEqualTo(1);
    assertThat(board.next(A, T0).orElseThrow().jobId()).isEqualTo(2);
    assertThat(queue.size()).isZero();
  }

  private static void assertRefused(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(KasComputeException.class)
        .satisfies(e -> assertThat(((KasComputeException) e).code()).as(e.getMessage()).isEqualTo(code));
  }
}
