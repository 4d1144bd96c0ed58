package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.wire.RunState;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.LeasePolicy;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.dag.lease.RunStatus;
import io.kascompute.dag.lease.TaskCompletion;
import io.kascompute.dag.lease.TaskGrant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Replays the worked example of {@code docs/spec/leasing.md} and checks every value it shows. */
class LeasingSpecExampleTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final LeasePolicy POLICY = LeasePolicy.TASK_DEFAULT;
  private static final NodeId N1 = NodeId.of("kc_node_01");
  private static final NodeId N2 = NodeId.of("kc_node_02");
  private static final NodeId N3 = NodeId.of("kc_node_03");

  @Test
  void workedExample() {
    ComputeDag dag =
        ComputeDag.compile(
            new DagSpec(
                "example",
                List.of(node("b"), node("a"), node("c"), node("d")),
                List.of(edge("a", "c"), edge("b", "c"), edge("a", "d"))));
    LeaseStore store = CoordinatorStores.inMemory().leases();
    store.putDag(dag);
    RunId run = store.createRun(dag.id(), T0);
    assertCounts(store, run, 2, 2, 0, 0, 0, RunState.RUNNING);

    TaskGrant a1 = store.next(run, N1, T0, POLICY).orElseThrow();
    assertThat(List.of(a1.taskId().value(), a1.leaseEpoch(), a1.leaseExpires().toString()))
        .containsExactly("a", 1L, "2026-01-01T00:01:30Z");
    TaskGrant b1 = store.next(run, N2, T0.plusSeconds(10), POLICY).orElseThrow();
    assertThat(List.of(b1.taskId().value(), b1.leaseEpoch(), b1.leaseExpires().toString()))
        .containsExactly("b", 1L, "2026-01-01T00:01:40Z");
    assertThat(store.renew(run, TaskId.of("b"), N2, OptionalLong.of(1), T0.plusSeconds(60), POLICY).leaseExpires())
        .hasToString("2026-01-01T00:02:30Z");
    assertThatThrownBy(
            () -> store.renew(run, TaskId.of("a"), N1, OptionalLong.of(1), T0.plusSeconds(90), POLICY))
        .isInstanceOf(KasComputeException.class)
        .extracting(e -> ((KasComputeException) e).code())
        .isEqualTo(ErrorCode.LEASE_EXPIRED);

    TaskGrant a2 = store.next(run, N3, T0.plusSeconds(90), POLICY).orElseThrow();
    assertThat(List.of(a2.taskId().value(), a2.leaseEpoch(), a2.leaseExpires().toString(), a2.attempt()))
        .containsExactly("a", 2L, "2026-01-01T00:03:00Z", 2);

    Instant t95 = T0.plusSeconds(95);
    assertCode(() -> store.complete(run, TaskId.of("a"), N1, OptionalLong.of(1), LeaseStoreContract.proof(run, TaskId.of("a"), N1, proof("n1")), t95), ErrorCode.STALE_LEASE);
    assertCode(() -> store.complete(run, TaskId.of("a"), N1, OptionalLong.empty(), LeaseStoreContract.proof(run, TaskId.of("a"), N1, proof("n1")), t95), ErrorCode.NOT_OWNER);

    TaskCompletion a = store.complete(run, TaskId.of("a"), N3, OptionalLong.of(2), LeaseStoreContract.proof(run, TaskId.of("a"), N3, proof("n3")), t95);
    assertThat(a.unlocked()).extracting(TaskId::value).containsExactly("d");
    TaskCompletion b = store.complete(run, TaskId.of("b"), N2, OptionalLong.of(1), LeaseStoreContract.proof(run, TaskId.of("b"), N2, proof("n2")), t95);
    assertThat(b.unlocked()).extracting(TaskId::value).containsExactly("c");
    TaskCompletion again = store.complete(run, TaskId.of("b"), N2, OptionalLong.of(1), LeaseStoreContract.proof(run, TaskId.of("b"), N2, proof("n2")), t95);
    assertThat(again.repeat()).isTrue();
    assertThat(again.unlocked()).extracting(TaskId::value).containsExactly("c");
    assertCode(
        () -> store.complete(run, TaskId.of("b"), N2, OptionalLong.of(1), LeaseStoreContract.proof(run, TaskId.of("b"), N2, proof("other")), t95),
        ErrorCode.ALREADY_COMPLETED);
    assertCounts(store, run, 0, 2, 0, 2, 0, RunState.RUNNING);
    assertThat(store.next(run, N1, t95, POLICY).orElseThrow().taskId().value()).isEqualTo("d");
    assertThat(store.next(run, N1, t95, POLICY).orElseThrow().taskId().value()).isEqualTo("c");
  }

  private static void assertCounts(
      LeaseStore store, RunId run, int pending, int ready, int running, int completed, int failed, RunState state) {
    RunStatus s = store.status(run).orElseThrow();
    assertThat(List.<Object>of(s.tasksPending(), s.tasksReady(), s.tasksRunning(), s.tasksCompleted(), s.tasksFailed(), s.state()))
        .containsExactly(pending, ready, running, completed, failed, state);
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(KasComputeException.class)
        .extracting(e -> ((KasComputeException) e).code())
        .isEqualTo(code);
  }

  private static Sha256Digest proof(String s) {
    return Sha256Digest.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  private static DagSpec.Node node(String id) {
    return new DagSpec.Node(id, 1, "", JsonNull.INSTANCE);
  }

  private static DagSpec.Edge edge(String from, String to) {
    return new DagSpec.Edge(from, to);
  }
}
