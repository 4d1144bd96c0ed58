package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.wire.JobState;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.directory.PresenceCounts;
import io.kascompute.dag.jobs.JobCompletion;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators' store sets on one PostgreSQL database, each with its own pool (as two {@code
 * kascompute serve} processes would have), and a third opened after one of them went away: what
 * one remembers, the other knows.
 */
class SharedStoresTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final NodeId VICTIM = NodeId.of("kc_victim");
  private static final PublicKeyBytes KEY = key(1);
  private static final PublicKeyBytes ATTACKER = key(2);
  private static final NodePresence NODE =
      new NodePresence(List.of("node"), Optional.empty(), "kc/1.0", Optional.empty());

  /** Two sets on one fresh database; closing them closes their pools. */
  private record Pair(String url, CoordinatorStores a, CoordinatorStores b) implements AutoCloseable {
    static Pair open(DirectoryLimits limits) {
      String url = EmbeddedPg.freshDatabase();
      HikariDataSource poolA = EmbeddedPg.pool(url, 4);
      HikariDataSource poolB = EmbeddedPg.pool(url, 4);
      JdbcSchema.install(poolA);
      return new Pair(url, set(poolA, limits), set(poolB, limits));
    }

    @Override
    public void close() {
      closeQuietly(a);
      closeQuietly(b);
    }
  }

  private static void closeQuietly(CoordinatorStores s) {
    try {
      s.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static CoordinatorStores set(HikariDataSource pool, DirectoryLimits limits) {
    return JdbcStores.builder(pool).directoryLimits(limits).reclaimGrace(Duration.ofSeconds(5))
        .closing(pool).build();
  }

  @Test
  void aPinMadeThroughOneSetHoldsInTheOtherAndAfterARestart() throws Exception {
    try (Pair p = Pair.open(DirectoryLimits.DEFAULT)) {
      p.a().directory().heartbeat(VICTIM, KEY, true, KeyEvidence.SIGNED_HEARTBEAT, NODE, T0);
      assertRefused(() -> p.b().directory().heartbeat(VICTIM, ATTACKER, false,
          KeyEvidence.UNSIGNED_HEARTBEAT, NODE, T0), ErrorCode.KEY_MISMATCH);
      assertRefused(() -> p.b().directory().heartbeat(VICTIM, ATTACKER, true,
          KeyEvidence.UNSIGNED_HEARTBEAT, NODE, T0), ErrorCode.KEY_MISMATCH);
      assertRefused(() -> p.b().directory().pinClaimedKey(VICTIM, ATTACKER, T0), ErrorCode.KEY_MISMATCH);
      assertThat(p.b().directory().node(VICTIM).orElseThrow().pinnedKey()).contains(KEY);
      closeQuietly(p.a());
      try (CoordinatorStores restarted = set(EmbeddedPg.pool(p.url(), 2), DirectoryLimits.DEFAULT)) {
        assertRefused(() -> restarted.directory().heartbeat(VICTIM, ATTACKER, true,
            KeyEvidence.SIGNED_HEARTBEAT, NODE, T0.plusSeconds(60)), ErrorCode.KEY_MISMATCH);
        assertThat(restarted.directory().node(VICTIM).orElseThrow().pinnedKey()).contains(KEY);
      }
    }
  }

  @Test
  void aFloodOfFreshIdsThroughBothSetsStopsAtTheBoundAndNeverUnpinsTheVictim() throws Exception {
    DirectoryLimits small = new DirectoryLimits(10, 500, Duration.ofHours(24), 4);
    try (Pair p = Pair.open(small)) {
      p.a().directory().heartbeat(VICTIM, KEY, true, KeyEvidence.SIGNED_HEARTBEAT, NODE, T0);
      int[] outcome = flood(List.of(p.a(), p.b()), 600, 2);
      assertThat(outcome[0]).isEqualTo(500);
      assertThat(outcome[1]).isEqualTo(100);
      checkVictim(p);
      assertThat(p.b().directory().counts(T0.plusSeconds(1), Duration.ofSeconds(90), Duration.ofSeconds(90)))
          .isEqualTo(new PresenceCounts(501, 0, 501, 501, 1));
    }
  }

  /** The attack at the default bound: 110,000 unsigned heartbeats with fresh ids. */
  @Test
  void oneHundredTenThousandFreshIdsAgainstTheDefaultBound() throws Exception {
    try (Pair p = Pair.open(DirectoryLimits.DEFAULT)) {
      p.a().directory().heartbeat(VICTIM, KEY, true, KeyEvidence.SIGNED_HEARTBEAT, NODE, T0);
      int[] outcome = flood(List.of(p.a(), p.b()), 110_000, 4);
      assertThat(outcome[0]).isEqualTo(DirectoryLimits.DEFAULT.maxUnpinned());
      assertThat(outcome[1]).isEqualTo(10_000);
      checkVictim(p);
      PresenceCounts counts =
          p.a().directory().counts(T0.plusSeconds(1), Duration.ofSeconds(90), Duration.ofSeconds(90));
      assertThat(counts.known()).isEqualTo(DirectoryLimits.DEFAULT.maxUnpinned() + 1);
      assertThat(counts.pinned()).isEqualTo(1);
    }
  }

  private static void checkVictim(Pair p) {
    for (CoordinatorStores s : List.of(p.a(), p.b())) {
      assertThat(s.directory().node(VICTIM).orElseThrow().pinnedKey()).contains(KEY);
      assertRefused(() -> s.directory().heartbeat(VICTIM, ATTACKER, false,
          KeyEvidence.UNSIGNED_HEARTBEAT, NODE, T0.plusSeconds(2)), ErrorCode.KEY_MISMATCH);
    }
  }

  /**
   * Sends {@code n} unsigned heartbeats with fresh ids, spread over the sets and {@code threads}
   * threads; returns {accepted, refused with DIRECTORY_FULL}.
   */
  private static int[] flood(List<CoordinatorStores> sets, int n, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger full = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        CoordinatorStores s = sets.get(t % sets.size());
        work.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
              s.directory().heartbeat(NodeId.of("flood-" + i), ATTACKER, false,
                  KeyEvidence.UNSIGNED_HEARTBEAT, NODE, T0.plusMillis(i % 1000));
              accepted.incrementAndGet();
            } catch (KasComputeException e) {
              if (e.code() != ErrorCode.DIRECTORY_FULL) {
                throw e;
              }
              full.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(20, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return new int[] {accepted.get(), full.get()};
  }

  @Test
  void aJobLeasedThroughOneSetIsCompletedThroughTheOtherAndCreditedOnce() throws Exception {
    try (Pair p = Pair.open(DirectoryLimits.DEFAULT)) {
      NodeId node = NodeId.of("kc_worker");
      long id = p.a().jobs().add(500, T0);
      JobGrant g = p.a().jobs().next(node, T0, LeasePolicy.JOB_DEFAULT).orElseThrow();
      assertThat(g.jobId()).isEqualTo(id);
      AcceptedProof proof = jobProof(id, node, "job-1", T0.plusSeconds(3));
      JobCompletion done = p.b().jobs().complete(id, node, OptionalLong.of(1), proof, T0.plusSeconds(3));
      assertThat(done.repeat()).isFalse();
      RecordedProof recorded = done.recorded().orElseThrow();
      assertThat(p.a().jobs().job(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
      assertThat(p.a().ledger().find(proof.proofHash())).contains(recorded);
      // the same proof replayed to the first coordinator is a repeat, credited once
      JobCompletion replay = p.a().jobs().complete(id, node, OptionalLong.empty(), proof, T0.plusSeconds(9));
      assertThat(replay.repeat()).isTrue();
      assertThat(replay.recorded()).contains(recorded);
      assertThat(p.a().ledger().size()).isEqualTo(1);
      // job ids are unique across the sets
      long other = p.b().jobs().add(1, T0);
      assertThat(other).isNotEqualTo(id);
    }
  }

  @Test
  void aTaskProofRecordedThroughOneIsARepeatThroughTheOtherAndCannotCreditAnotherTask() throws Exception {
    try (Pair p = Pair.open(DirectoryLimits.DEFAULT)) {
      ComputeDag dag = TestDags.random("shared-proof", 4, 0, 1, 5);
      p.a().leases().putDag(dag);
      RunId run = p.a().leases().createRun(dag.id(), T0);
      NodeId node = NodeId.of("kc_worker");
      TaskGrant g1 = p.a().leases().next(run, node, T0, LeasePolicy.TASK_DEFAULT).orElseThrow();
      TaskGrant g2 = p.b().leases().next(run, node, T0, LeasePolicy.TASK_DEFAULT).orElseThrow();
      AcceptedProof proof = TestDags.taskProof(run, g1.taskId(), node, digest("t1"));
      TaskCompletion done = p.a().leases().complete(run, g1.taskId(), node, OptionalLong.of(1), proof, T0);
      TaskCompletion replay = p.b().leases().complete(run, g1.taskId(), node, OptionalLong.of(1), proof, T0);
      assertThat(replay.repeat()).isTrue();
      assertThat(replay.recorded()).isEqualTo(done.recorded());
      AcceptedProof moved = retarget(proof, g2.taskId());
      assertRefused(() -> p.b().leases().complete(run, g2.taskId(), node, OptionalLong.of(1), moved, T0),
          ErrorCode.REPLAYED_PROOF);
      assertThat(p.b().ledger().size()).isEqualTo(1);
      assertThat(p.b().leases().status(run).orElseThrow().tasksRunning()).isEqualTo(1);
    }
  }

  @Test
  void completionsThroughBothSetsGetOneGapFreeSeqAndAgreeingWindows() throws Exception {
    try (Pair p = Pair.open(DirectoryLimits.DEFAULT)) {
      ComputeDag dag = TestDags.random("shared-window", 400, 0, 1, 9);
      p.a().leases().putDag(dag);
      RunId run = p.a().leases().createRun(dag.id(), T0);
      for (int i = 0; i < 100; i++) {
        p.a().jobs().add(10 + i, T0);
      }
      ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          CoordinatorStores s = t % 2 == 0 ? p.a() : p.b();
          NodeId node = NodeId.of("kc_w" + t);
          Instant at = T0.plusSeconds(t);
          work.add(pool.submit(() -> {
            while (true) {
              Optional<TaskGrant> g;
              try {
                g = s.leases().next(run, node, at, LeasePolicy.TASK_DEFAULT);
              } catch (KasComputeException e) {
                if (e.code() != ErrorCode.RUN_FINISHED) {
                  throw e;
                }
                g = Optional.empty();
              }
              Optional<JobGrant> j = s.jobs().next(node, at, LeasePolicy.JOB_DEFAULT);
              if (g.isEmpty() && j.isEmpty()) {
                return null;
              }
              Optional<TaskGrant> task = g;
              task.ifPresent(x -> seqs.add(s.leases().complete(run, x.taskId(), node,
                  OptionalLong.of(x.leaseEpoch()), acceptedAt(TestDags.taskProof(run, x.taskId(),
                      node, x.taskHash()), at), at).recorded().orElseThrow().seq()));
              j.ifPresent(x -> seqs.add(s.jobs().complete(x.jobId(), node, OptionalLong.of(1),
                  jobProof(x.jobId(), node, "j" + x.jobId(), at), at).recorded().orElseThrow().seq()));
            }
          }));
        }
        for (Future<?> f : work) {
          f.get(5, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(seqs).hasSize(500);
      assertThat(seqs.stream().sorted().toList())
          .isEqualTo(java.util.stream.LongStream.range(0, 500).boxed().toList());
      Instant now = T0.plusSeconds(10);
      assertThat(p.a().ledger().window(now.minusSeconds(60), now))
          .isEqualTo(p.b().ledger().window(now.minusSeconds(60), now));
      assertThat(p.a().ledger().window(now.minusSeconds(60), now).tasks()).isEqualTo(400);
      assertThat(p.b().ledger().window(now.minusSeconds(60), now).jobs()).isEqualTo(100);
      assertThat(p.a().jobs().counts()).isEqualTo(p.b().jobs().counts());
      // the newest-first views agree too
      assertThat(p.a().ledger().recent(OptionalLong.empty(), 50))
          .isEqualTo(p.b().ledger().recent(OptionalLong.empty(), 50));
    }
  }

  @Test
  void topUpsThroughBothSetsAtOnceNeverOverfill() throws Exception {
    try (Pair p = Pair.open(DirectoryLimits.DEFAULT)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int round = 1; round <= 5; round++) {
          int target = 10 * round;
          List<Future<Integer>> added = new ArrayList<>();
          for (int t = 0; t < 4; t++) {
            CoordinatorStores s = t % 2 == 0 ? p.a() : p.b();
            added.add(pool.submit(() -> s.jobs().topUp(target, () -> 3, T0)));
          }
          int sum = 0;
          for (Future<Integer> f : added) {
            sum += f.get(1, TimeUnit.MINUTES);
          }
          assertThat(sum).isEqualTo(10);
          assertThat(p.a().jobs().counts().pending()).isEqualTo(target);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static AcceptedProof jobProof(long jobId, NodeId node, String seed, Instant at) {
    return new AcceptedProof(ProofKind.JOB, node, Optional.empty(), OptionalLong.of(jobId),
        Optional.empty(), Optional.empty(), Optional.empty(), 500, Optional.of("sim"), 100, "kc/1.0",
        at.getEpochSecond(), Optional.empty(), Optional.empty(), Optional.empty(), digest(seed), 1,
        Optional.of(T0), at, "coordinator-b");
  }

  private static AcceptedProof acceptedAt(AcceptedProof p, Instant at) {
    return new AcceptedProof(p.kind(), p.nodeId(), p.minerId(), p.jobId(), p.runId(), p.taskId(),
        p.taskHash(), p.workUnits(), p.workloadMode(), p.elapsedMs(), p.clientVersion(), p.ts(),
        p.scheme(), p.signature(), p.publicKey(), p.proofHash(), p.leaseEpoch(), p.assigned(), at,
        p.coordinator());
  }

  private static AcceptedProof retarget(AcceptedProof p, TaskId task) {
    return new AcceptedProof(p.kind(), p.nodeId(), p.minerId(), p.jobId(), p.runId(),
        Optional.of(task), p.taskHash(), p.workUnits(), p.workloadMode(), p.elapsedMs(),
        p.clientVersion(), p.ts(), p.scheme(), p.signature(), p.publicKey(), p.proofHash(),
        p.leaseEpoch(), p.assigned(), p.accepted(), p.coordinator());
  }

  private static Sha256Digest digest(String s) {
    return Sha256Digest.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  private static PublicKeyBytes key(int seed) {
    byte[] b = new byte[32];
    b[0] = (byte) seed;
    return PublicKeyBytes.of(b);
  }

  private static void assertRefused(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOf(KasComputeException.class)
        .satisfies(e -> assertThat(((KasComputeException) e).code()).as(e.getMessage()).isEqualTo(code));
  }
}
