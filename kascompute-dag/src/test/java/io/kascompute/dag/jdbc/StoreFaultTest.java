package io.kascompute.dag.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.ledger.AcceptedProof;
import io.kascompute.dag.store.CoordinatorStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * For every statement of a directory, job or top-up operation, a connection failing at that
 * statement (or its commit) answers {@code STORE_UNAVAILABLE} and leaves the stores as they were,
 * and the operation then succeeds on a healthy connection.
 */
class StoreFaultTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final NodeId NODE = NodeId.of("kc_fault");
  private static final NodePresence PRESENCE =
      new NodePresence(List.of("node"), Optional.empty(), "kc/1.0", Optional.empty());
  private static HikariDataSource ds;
  private static CoordinatorStores clean;

  @BeforeAll
  static void start() {
    ds = EmbeddedPg.freshPool(4);
    clean = JdbcStores.create(ds);
  }

  @AfterAll
  static void stop() {
    ds.close();
  }

  @Test
  void aJobCompletionIsAllOrNothing() {
    everyFault(
        n -> {
          long id = clean.jobs().add(5, T0);
          clean.jobs().next(NODE, T0, LeasePolicy.JOB_DEFAULT).orElseThrow();
          return id;
        },
        (stores, id) -> stores.jobs().complete(id, NODE, OptionalLong.of(1), jobProof(id), T0),
        id -> clean.jobs().job(id).orElseThrow().state() + " " + clean.ledger().size() + " "
            + clean.jobs().counts() + " " + clean.ledger().window(T0.minusSeconds(5), T0));
  }

  @Test
  void aNewIdsHeartbeatIsAllOrNothing() {
    everyFault(
        n -> NodeId.of("kc_new_" + n),
        (stores, id) -> stores.directory().heartbeat(id, key(1), true, KeyEvidence.SIGNED_HEARTBEAT,
            PRESENCE, T0),
        id -> clean.directory().node(id) + " " + counts());
  }

  @Test
  void aPinOfAClaimIsAllOrNothing() {
    everyFault(
        n -> {
          NodeId id = NodeId.of("kc_claim_" + n);
          clean.directory().heartbeat(id, key(2), false, KeyEvidence.UNSIGNED_HEARTBEAT, PRESENCE, T0);
          return id;
        },
        (stores, id) -> stores.directory().pinClaimedKey(id, key(2), T0),
        id -> clean.directory().node(id) + " " + counts());
  }

  @Test
  void aRotationIsAllOrNothing() {
    everyFault(
        n -> {
          NodeId id = NodeId.of("kc_rot_" + n);
          clean.directory().heartbeat(id, key(3), true, KeyEvidence.SIGNED_HEARTBEAT, PRESENCE, T0);
          return id;
        },
        (stores, id) -> stores.directory().rotate(new KeyRotation(id, key(3), key(4),
            KeyEvidence.OPERATOR, Optional.empty(), 1, T0, "faulty")),
        id -> clean.directory().node(id) + " " + clean.directory().rotations(id));
  }

  @Test
  void aTopUpIsAllOrNothing() {
    everyFault(
        n -> {
          // drain the pool so every top-up has work to do
          while (clean.jobs().next(NODE, T0, LeasePolicy.JOB_DEFAULT).isPresent()) {
            // granted
          }
          return n;
        },
        (stores, n) -> stores.jobs().topUp(3, () -> 9, T0),
        n -> clean.jobs().counts() + " " + clean.jobs().recent(3));
  }

  private static String counts() {
    return clean.directory().counts(T0, Duration.ofSeconds(90), Duration.ofSeconds(90)).toString();
  }

  /**
   * For n = 1, 2, ...: prepares a fresh case, runs the operation on a set whose n-th statement or
   * commit fails, and checks that a failure changed nothing (by {@code observe}) and that the
   * operation then succeeds; stops at the first n past the operation's last statement.
   */
  private static <C> void everyFault(Function<Integer, C> prepare,
      java.util.function.BiFunction<CoordinatorStores, C, ?> op, Function<C, String> observe) {
    boolean completed = false;
    int faults = 0;
    for (int n = 1; n <= 40 && !completed; n++) {
      C c = prepare.apply(n);
      String before = observe.apply(c);
      AtomicInteger calls = new AtomicInteger();
      // No key cache: its listener's statements would fall on the failing data source too.
      CoordinatorStores faulty =
          JdbcStores.builder(FailingDataSource.failOn(ds, n, calls)).keyCache(0).build();
      try {
        op.apply(faulty, c);
        completed = calls.get() < n;
        assertThat(completed).as("an operation whose statement %d failed must not succeed", n).isTrue();
      } catch (KasComputeException e) {
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(e.getMessage()).doesNotContain("injected");
        assertThat(observe.apply(c)).as("after a failure at statement %d", n).isEqualTo(before);
        op.apply(clean, c);
        faults++;
      }
    }
    assertThat(completed).as("reached a fault-free run").isTrue();
    assertThat(faults).isPositive();
  }

  private static AcceptedProof jobProof(long id) {
    return new AcceptedProof(ProofKind.JOB, NODE, Optional.empty(), OptionalLong.of(id),
        Optional.empty(), Optional.empty(), Optional.empty(), 5, Optional.of("sim"), 10, "kc",
        T0.getEpochSecond(), Optional.empty(), Optional.empty(), Optional.empty(),
        Sha256Digest.hash(("fault-job-" + id).getBytes(StandardCharsets.UTF_8)), 1,
        Optional.of(T0), T0, "c");
  }

  private static PublicKeyBytes key(int seed) {
    byte[] b = new byte[32];
    b[5] = (byte) seed;
    return PublicKeyBytes.of(b);
  }

}
