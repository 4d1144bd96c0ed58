package io.kascompute.dag.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.ProofKind;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A lease store keeps within its {@link StoreLimits} by refusing or by letting finished runs go;
 * each store runs these checks through a subclass.
 */
public abstract class LeaseStoreLimitsTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_710_000_000);
  private static final NodeId N = NodeId.of("n");

  /** A fresh, empty store with these bounds. */
  protected abstract LeaseStore store(StoreLimits limits);

  /** The task count of the DAG whose runs flood the store: large where rows are cheap. */
  protected int floodDagTasks() {
    return 30_960;
  }

  private static ComputeDag dag(String name, int tasks) {
    ComputeDag.Builder b = ComputeDag.builder(name);
    for (int i = 0; i < tasks; i++) {
      b.task("t" + i, 1);
    }
    return b.build();
  }

  private static ErrorCode code(Runnable r) {
    try {
      r.run();
    } catch (KasComputeException e) {
      return e.code();
    }
    throw new AssertionError("no refusal");
  }

  private static void finish(LeaseStore store, RunId run) {
    while (!store.status(run).orElseThrow().state().finished()) {
      TaskGrant t = store.next(run, N, NOW, LeasePolicy.TASK_DEFAULT).orElseThrow();
      store.complete(run, t.taskId(), N, OptionalLong.of(t.leaseEpoch()), new AcceptedProof(
          ProofKind.TASK, N, Optional.empty(), OptionalLong.empty(), Optional.of(run),
          Optional.of(t.taskId()), Optional.of(t.taskHash()), 1, Optional.empty(), 1, "t", 1,
          Optional.empty(), Optional.empty(), Optional.empty(),
          Sha256Digest.hash((run + "/" + t.taskId()).getBytes()), 1, Optional.empty(), NOW, "c"),
          NOW);
    }
  }

  @Test
  void liveRunsAreBoundedInAllAndPerDag() {
    LeaseStore store = store(new StoreLimits(5, 3, 10, 1000, 1000));
    ComputeDag a = dag("a", 2);
    ComputeDag b = dag("b", 2);
    store.putDag(a);
    store.putDag(b);
    List<RunId> runsOfA = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runsOfA.add(store.createRun(a.id(), NOW));
    }
    assertThat(code(() -> store.createRun(a.id(), NOW))).isEqualTo(ErrorCode.TOO_MANY_RUNS);
    store.createRun(b.id(), NOW);
    store.createRun(b.id(), NOW);
    assertThat(code(() -> store.createRun(b.id(), NOW))).isEqualTo(ErrorCode.TOO_MANY_RUNS);
    // a finished run no longer counts as live, and can be deleted; a live one cannot
    finish(store, runsOfA.get(0));
    assertThat(code(() -> store.deleteRun(runsOfA.get(1)))).isEqualTo(ErrorCode.RUN_NOT_FINISHED);
    RunId another = store.createRun(a.id(), NOW);
    assertThat(store.status(runsOfA.get(0))).isPresent();
    assertThat(store.deleteRun(runsOfA.get(0))).isTrue();
    assertThat(store.status(runsOfA.get(0))).isEmpty();
    assertThat(store.deleteRun(runsOfA.get(0))).isFalse();
    assertThat(store.status(another)).isPresent();
  }

  @Test
  void retainedRunsAndTasksLetTheOldestFinishedRunsGo() {
    LeaseStore store = store(new StoreLimits(2, 2, 3, 10, 100));
    ComputeDag d = dag("d", 4);
    store.putDag(d);
    RunId first = store.createRun(d.id(), NOW);
    finish(store, first);
    RunId second = store.createRun(d.id(), NOW);
    // 8 retained tasks; a third run of 4 needs the first (finished) one gone
    RunId third = store.createRun(d.id(), NOW);
    assertThat(store.status(first)).isEmpty();
    assertThat(store.status(second)).isPresent();
    // two live runs: the live bound
    assertThat(code(() -> store.createRun(d.id(), NOW))).isEqualTo(ErrorCode.TOO_MANY_RUNS);
    assertThat(store.status(second)).as("a refusal lets nothing go").isPresent();
    finish(store, second);
    finish(store, third);
    assertThat(store.status(store.createRun(d.id(), NOW))).isPresent();
  }

  @Test
  void unusedDagsMakeRoomForNewOnesButUsedOnesStay() {
    LeaseStore store = store(new StoreLimits(5, 5, 10, 100, 6));
    ComputeDag a = dag("a", 3);
    ComputeDag b = dag("b", 3);
    ComputeDag c = dag("c", 3);
    store.putDag(a);
    store.putDag(b);
    store.createRun(b.id(), NOW);
    store.putDag(c);
    assertThat(store.dag(a.id())).as("unused: let go").isEmpty();
    assertThat(store.dag(b.id())).isPresent();
    assertThat(code(() -> store.putDag(dag("e", 4)))).isEqualTo(ErrorCode.STORE_FULL);
    assertThat(store.dag(DagId.of(c.id().value()))).as("a refusal lets nothing go").isPresent();
  }

  @Test
  void aRunCreationFloodStopsAtTheBoundWithATypedRefusal() {
    LeaseStore store = store(StoreLimits.DEFAULT);
    ComputeDag big = dag("big", floodDagTasks());
    store.putDag(big);
    int created = 0;
    ErrorCode refused = null;
    while (refused == null && created < 1000) {
      try {
        store.createRun(big.id(), NOW);
        created++;
      } catch (KasComputeException e) {
        refused = e.code();
      }
    }
    assertThat(refused).isEqualTo(ErrorCode.TOO_MANY_RUNS);
    assertThat(created).isEqualTo(StoreLimits.DEFAULT.maxLiveRunsPerDag());
    assertThatThrownBy(() -> store.createRun(big.id(), NOW)).isInstanceOf(KasComputeException.class);
  }
}
