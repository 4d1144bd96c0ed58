package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.internal.LedgerLeaves;
import io.kascompute.dag.jobs.JobCompletion;
import io.kascompute.dag.jobs.JobGrant;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.ledger.RecordedProof;
import io.kascompute.dag.store.CoordinatorStores;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sequencing of the PostgreSQL proof record: concurrent completions of two store sets on one
 * database (one sequencing in place when it can, the other always pending and in groups, with key
 * rotations between them) end with gap-free seqs and one gap-free log, and a
 * proof left pending by a crash between the two transactions is sequenced by the next completion
 * or by opening the stores.
 */
class ProofSequencingTest {
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
  private static final NodeId NODE = NodeId.of("kc_seq");
  private static final NodePresence PRESENCE =
      new NodePresence(List.of("node"), Optional.empty(), "kc/1.0", Optional.empty());

  @Test
  void concurrentCompletionsOfTwoSetsEndGapFreeWithOneLog() throws Exception {
    String url = EmbeddedPg.freshDatabase();
    try (HikariDataSource a = EmbeddedPg.pool(url, 4); HikariDataSource b = EmbeddedPg.pool(url, 4)) {
      JdbcSchema.install(a);
      CoordinatorStores one = JdbcStores.create(a);
      CoordinatorStores two = JdbcStores.create(b);
      // One set sequences in place when the head row is free; the other always records pending.
      ((JdbcProofLedger) two.ledger()).inline = false;
      long seed = new Random().nextLong();
      int threadsPerSet = 3;
      int perThread = 60;
      one.jobs().add(5, T0);
      for (int i = 1; i < 2 * threadsPerSet * perThread; i++) {
        one.jobs().add(5, T0);
      }
      NodeId rotating = NodeId.of("kc_rotating");
      one.directory().heartbeat(rotating, key(0), true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, T0);

      ConcurrentLinkedQueue<RecordedProof> recorded = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerSet + 1);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerSet; t++) {
        CoordinatorStores stores = t % 2 == 0 ? one : two;
        Random random = new Random(seed + t);
        work.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < perThread; i++) {
            JobGrant g = stores.jobs().next(NODE, T0, LeasePolicy.JOB_DEFAULT).orElseThrow();
            AcceptedProof p = jobProof(g.jobId(), random.nextInt(3) != 0);
            JobCompletion done =
                stores.jobs().complete(g.jobId(), NODE, OptionalLong.of(g.leaseEpoch()), p, T0);
            assertThat(done.repeat()).isFalse();
            RecordedProof r = done.recorded().orElseThrow();
            assertThat(r.ledgerIndex().isPresent()).isEqualTo(p.verified());
            recorded.add(r);
          }
          return null;
        }));
      }
      int rotations = 12;
      work.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < rotations; i++) {
          CoordinatorStores stores = i % 2 == 0 ? one : two;
          stores.directory().rotate(new KeyRotation(rotating, key(i), key(i + 1),
              KeyEvidence.OPERATOR, Optional.empty(), 1 + i, T0, "rotator"));
        }
        return null;
      }));
      go.countDown();
      for (Future<?> f : work) {
        f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();

      int n = 2 * threadsPerSet * perThread;
      assertThat(recorded).hasSize(n);
      Set<Long> seqs = new HashSet<>();
      Set<Long> indexes = new HashSet<>();
      Set<Sha256Digest> hashes = new HashSet<>();
      for (RecordedProof r : recorded) {
        assertThat(seqs.add(r.seq())).as("seq %d given twice", r.seq()).isTrue();
        assertThat(hashes.add(r.proof().proofHash())).isTrue();
        r.ledgerIndex().ifPresent(i -> assertThat(indexes.add(i)).isTrue());
        assertThat(one.ledger().find(r.proof().proofHash())).contains(r);
      }
      assertThat(seqs).allMatch(s -> s >= 0 && s < n);
      assertThat(one.ledger().size()).isEqualTo(n);
      assertThat(two.ledger().recent(OptionalLong.empty(), n + 1)).hasSize(n);

      long size = one.ledger().log().size();
      assertThat(size).isEqualTo(indexes.size() + rotations);
      assertThat(indexes).allMatch(i -> i >= 0 && i < size);
      List<byte[]> leaves = two.ledger().log().leaves(0, size);
      assertThat(one.ledger().log().root(size)).isEqualTo(MerkleTree.root(leaves));
      for (RecordedProof r : recorded) {
        if (r.ledgerIndex().isPresent()) {
          assertThat(leaves.get((int) r.ledgerIndex().getAsLong()))
              .isEqualTo(LedgerLeaves.entry(r.proof()).leafBytes());
        }
      }
      assertThat(heads(a)).isEqualTo(List.of((long) n, size, size, 0L));
    }
  }

  @Test
  void aProofLeftPendingByACrashIsSequencedByTheNextCompletion() throws Exception {
    try (HikariDataSource ds = EmbeddedPg.freshPool(4)) {
      JdbcStores.create(ds);
      CoordinatorStores crashing = JdbcStores.create(ds);
      CoordinatorStores healthy = JdbcStores.create(ds);
      long first = grantedJob(healthy);
      AcceptedProof lost = jobProof(first, true);
      crash(crashing);
      assertThatThrownBy(() ->
          crashing.jobs().complete(first, NODE, OptionalLong.of(1), lost, T0))
          .hasMessageContaining("crash");
      assertThat(healthy.ledger().size()).isZero();
      assertThat(healthy.ledger().recent(OptionalLong.empty(), 10)).isEmpty();
      assertThat(heads(ds)).isEqualTo(List.of(0L, 0L, 0L, 1L));

      long second = grantedJob(healthy);
      AcceptedProof next = jobProof(second, true);
      RecordedProof r = healthy.jobs().complete(second, NODE, OptionalLong.of(1), next, T0)
          .recorded().orElseThrow();
      // the free head row sequenced the new proof in place; the pass after its commit, the other
      assertThat(r.seq()).isZero();
      assertThat(r.ledgerIndex()).hasValue(0);
      assertThat(heads(ds)).isEqualTo(List.of(2L, 2L, 2L, 0L));
      RecordedProof pending = healthy.ledger().find(lost.proofHash()).orElseThrow();
      assertThat(pending.seq()).isEqualTo(1);
      assertThat(pending.ledgerIndex()).hasValue(1);
      assertThat(healthy.ledger().log().leaves(0, 2)).containsExactly(
          LedgerLeaves.entry(next).leafBytes(), LedgerLeaves.entry(lost).leafBytes());
      // the crashed completion, repeated, returns its record
      JobCompletion again = healthy.jobs().complete(first, NODE, OptionalLong.of(1), lost, T0);
      assertThat(again.repeat()).isTrue();
      assertThat(again.recorded()).contains(pending);
    }
  }

  @Test
  void aProofLeftPendingByACrashIsSequencedWhenTheStoresOpen() throws Exception {
    try (HikariDataSource ds = EmbeddedPg.freshPool(4)) {
      CoordinatorStores crashing = JdbcStores.create(ds);
      List<AcceptedProof> lost = new ArrayList<>();
      crash(crashing);
      for (int i = 0; i < 3; i++) {
        long id = grantedJob(crashing);
        AcceptedProof p = jobProof(id, i != 1);
        lost.add(p);
        assertThatThrownBy(() -> crashing.jobs().complete(id, NODE, OptionalLong.of(1), p, T0))
            .hasMessageContaining("crash");
      }
      assertThat(heads(ds)).isEqualTo(List.of(0L, 0L, 0L, 3L));

      CoordinatorStores reopened = JdbcStores.create(ds);
      assertThat(heads(ds)).isEqualTo(List.of(3L, 2L, 2L, 0L));
      List<Long> seqs = new ArrayList<>();
      for (AcceptedProof p : lost) {
        RecordedProof r = reopened.ledger().find(p.proofHash()).orElseThrow();
        seqs.add(r.seq());
        assertThat(r.ledgerIndex().isPresent()).isEqualTo(p.verified());
      }
      assertThat(seqs).containsExactly(0L, 1L, 2L);
      assertThat(reopened.ledger().log().root(2)).isEqualTo(MerkleTree.root(List.of(
          LedgerLeaves.entry(lost.get(0)).leafBytes(), LedgerLeaves.entry(lost.get(2)).leafBytes())));
    }
  }

  @Test
  void findSequencesAPendingProofBeforeItAnswers() {
    try (HikariDataSource ds = EmbeddedPg.freshPool(4)) {
      CoordinatorStores crashing = JdbcStores.create(ds);
      long id = grantedJob(crashing);
      AcceptedProof p = jobProof(id, false);
      crash(crashing);
      assertThatThrownBy(() -> crashing.jobs().complete(id, NODE, OptionalLong.of(1), p, T0))
          .hasMessageContaining("crash");
      RecordedProof r = crashing.ledger().find(p.proofHash()).orElseThrow();
      assertThat(r.seq()).isZero();
      assertThat(r.ledgerIndex()).isEmpty();
      assertThat(heads(ds)).isEqualTo(List.of(1L, 0L, 0L, 0L));
    }
  }

  /**
   * From now on, completions of {@code stores} record their proofs pending and crash after their
   * first transaction committed.
   */
  private static void crash(CoordinatorStores stores) {
    ((JdbcProofLedger) stores.ledger()).inline = false;
    ((JdbcProofLedger) stores.ledger()).beforeSequencing = () -> {
      throw new IllegalStateException("crash between the completion and its sequencing");
    };
  }

  private static long grantedJob(CoordinatorStores stores) {
    long id = stores.jobs().add(5, T0);
    JobGrant g = stores.jobs().next(NODE, T0, LeasePolicy.JOB_DEFAULT).orElseThrow();
    assertThat(g.jobId()).isEqualTo(id);
    return id;
  }

  /** kc_proof_head.size, kc_proof_head.entries, kc_ledger_head.size, pending rows. */
  private static List<Long> heads(javax.sql.DataSource ds) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT h.size, h.entries, l.size,"
            + " (SELECT count(*) FROM kc_proof WHERE seq IS NULL)"
            + " FROM kc_proof_head h, kc_ledger_head l")) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static AcceptedProof jobProof(long id, boolean verified) {
    return new AcceptedProof(ProofKind.JOB, NODE, Optional.empty(), OptionalLong.of(id),
        Optional.empty(), Optional.empty(), Optional.empty(), 5, Optional.of("sim"), 10, "kc",
        T0.getEpochSecond(),
        verified ? Optional.of(SignatureScheme.DIGEST) : Optional.empty(),
        verified ? Optional.of("ab".repeat(64)) : Optional.empty(),
        verified ? Optional.of(key(99)) : Optional.empty(),
        Sha256Digest.hash(("seq-job-" + id).getBytes(StandardCharsets.UTF_8)), 1,
        Optional.of(T0), T0, "c");
  }

  private static PublicKeyBytes key(int seed) {
    byte[] b = new byte[32];
    b[5] = (byte) seed;
    b[6] = (byte) (seed >> 8);
    return PublicKeyBytes.of(b);
  }
}
