package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private static final long NOW = 1_710_000_000L;
  private static final ProofSigner SIGNER = ProofSigner.of(Rfc8032Test1.KEYS);
  private static final Verdict.Valid VALID = new Verdict.Valid(SignatureScheme.DIGEST);
  private static final String TASK_SIG = SIGNER.signTaskProof(Rfc8032Test1.TASK).signature();

  /** A clock the test moves by hand. */
  private static final class FakeClock extends Clock {
    private volatile Instant now = Instant.ofEpochSecond(NOW);

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static JobProofSubmission proof(long jobId, long ts) {
    return SIGNER.signJobProof(new JobProofPayload(NodeId.of("kc_node_01"), Optional.empty(),
        jobId, 1, "sim", 1, "v", ts));
  }

  @Test
  void acceptsOnceThenReportsReplay() {
    ReplayGuard guard = ReplayGuard.create(new FakeClock());
    JobProofSubmission p = proof(1, NOW);
    assertThat(guard.accept(p, VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(p, VALID).reason()).contains(ErrorCode.REPLAYED_PROOF);
  }

  @Test
  void sameNodeAndJobWithAnotherPayloadIsAReplay() {
    ReplayGuard guard = ReplayGuard.create(new FakeClock());
    assertThat(guard.accept(proof(7, NOW), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(proof(7, NOW + 1), VALID).reason()).contains(ErrorCode.REPLAYED_PROOF);
    assertThat(guard.accept(proof(8, NOW + 1), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void refusesTimestampsOutsideTheWindowAtItsEdgesExactly() {
    ReplayGuard guard = ReplayGuard.create(new FakeClock());
    assertThat(guard.accept(proof(1, NOW - 300), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(proof(2, NOW + 300), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(proof(3, NOW - 301), VALID).reason())
        .contains(ErrorCode.TIMESTAMP_OUT_OF_WINDOW);
    assertThat(guard.accept(proof(4, NOW + 301), VALID).reason())
        .contains(ErrorCode.TIMESTAMP_OUT_OF_WINDOW);
    assertThat(guard.accept(proof(5, -1L), VALID).reason()).contains(ErrorCode.TIMESTAMP_OUT_OF_WINDOW);
  }

  @Test
  void forgetsEntriesOnceTheyCanNoLongerBeInTheWindow() {
    FakeClock clock = new FakeClock();
    ReplayGuard guard = ReplayGuard.create(clock);
    JobProofSubmission p = proof(1, NOW);
    guard.accept(p, VALID);
    assertThat(guard.size()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(301));
    assertThat(guard.accept(proof(2, NOW + 301), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.size()).isEqualTo(2);
    assertThat(guard.accept(p, VALID).reason()).contains(ErrorCode.TIMESTAMP_OUT_OF_WINDOW);
  }

  @Test
  void aFullGuardRaisesItsFloorInsteadOfForgettingSilently() {
    ReplayGuard guard = ReplayGuard.create(new FakeClock(), Duration.ofSeconds(300), 4);
    JobProofSubmission oldest = proof(1, NOW - 10);
    assertThat(guard.accept(oldest, VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(proof(2, NOW - 5), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(proof(3, NOW), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.size()).isEqualTo(4);
    assertThat(guard.accept(oldest, VALID).reason()).contains(ErrorCode.TIMESTAMP_OUT_OF_WINDOW);
    assertThat(guard.accept(proof(4, NOW - 10), VALID).reason())
        .contains(ErrorCode.TIMESTAMP_OUT_OF_WINDOW);
    assertThat(guard.accept(proof(3, NOW), VALID).reason()).contains(ErrorCode.REPLAYED_PROOF);
    assertThat(guard.accept(proof(4, NOW - 9), VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void taskProofsAreGuardedByRunAndTask() {
    ReplayGuard guard = ReplayGuard.create(new FakeClock());
    assertThat(guard.accept(Rfc8032Test1.TASK, TASK_SIG, VALID)).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(guard.accept(Rfc8032Test1.TASK, TASK_SIG, VALID).reason()).contains(ErrorCode.REPLAYED_PROOF);
  }

  @Test
  void concurrentSubmissionsOfOneProofAreAcceptedExactlyOnce() throws Exception {
    ReplayGuard guard = ReplayGuard.create(new FakeClock());
    List<JobProofSubmission> proofs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      proofs.add(proof(i, NOW));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          start.await();
          int accepted = 0;
          for (JobProofSubmission p : proofs) {
            accepted += guard.accept(p, VALID) instanceof Verdict.Valid ? 1 : 0;
          }
          return accepted;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }
}
