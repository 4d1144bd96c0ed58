package io.kascompute.testkit.store;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
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
import io.kascompute.dag.lease.TaskFailure;
import io.kascompute.dag.lease.TaskGrant;
import io.kascompute.dag.lease.TaskRenewal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the in-memory store for linearizability with Lincheck: every interleaving Lincheck
 * explores of next/renew/complete/fail/status on a four-task DAG must match some sequential
 * execution of the same operations (the default sequential specification: this class run on one
 * thread). Each call passes its own {@code now} (0, 5, 10 or 15 ns after the start, leases last
 * 10 ns), so callers' clocks disagree the way several coordinator processes' clocks can.
 */
@Param(name = "node", gen = IntGen.class, conf = "0:1")
@Param(name = "task", gen = IntGen.class, conf = "0:3")
@Param(name = "epoch", gen = IntGen.class, conf = "0:2")
@Param(name = "at", gen = IntGen.class, conf = "0:3")
public class InMemoryLeaseStoreLinearizabilityTest {
  private static final ComputeDag DAG =
      ComputeDag.compile(
          new DagSpec(
              "lincheck",
              List.of(node("a"), node("b"), node("c"), node("d")),
              List.of(new DagSpec.Edge("a", "c"), new DagSpec.Edge("b", "c"), new DagSpec.Edge("a", "d"))));
  private static final LeasePolicy POLICY = new LeasePolicy(Duration.ofNanos(10), 2);
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final NodeId[] NODES = {NodeId.of("kc_n0"), NodeId.of("kc_n1")};
  private static final TaskId[] TASKS = {
    TaskId.of("a"), TaskId.of("b"), TaskId.of("c"), TaskId.of("d")
  };

  private final LeaseStore store = CoordinatorStores.inMemory().leases();
  private final RunId run;

  public InMemoryLeaseStoreLinearizabilityTest() {
    store.putDag(DAG);
    run = store.createRun(DAG.id(), START);
  }

  @Operation
  public String next(@Param(name = "node") int node, @Param(name = "at") int at) {
    return attempt(
        () ->
            store
                .next(run, NODES[node], now(at), POLICY)
                .map(InMemoryLeaseStoreLinearizabilityTest::describe)
                .orElse("empty"));
  }

  @Operation
  public String renew(
      @Param(name = "node") int node, @Param(name = "task") int task,
      @Param(name = "epoch") int epoch,
      @Param(name = "at") int at) {
    return attempt(
        () -> {
          TaskRenewal r = store.renew(run, TASKS[task], NODES[node], epoch(epoch), now(at), POLICY);
          return "renewed " + r.taskId() + " until " + r.leaseExpires() + " epoch " + r.leaseEpoch();
        });
  }

  @Operation
  public String complete(
      @Param(name = "node") int node, @Param(name = "task") int task,
      @Param(name = "epoch") int epoch,
      @Param(name = "at") int at) {
    return attempt(
        () -> {
          TaskCompletion c =
              store.complete(run, TASKS[task], NODES[node], epoch(epoch), LeaseStoreContract.proof(run, TASKS[task], NODES[node], proof(node)), now(at));
          return "completed " + c.taskId() + " unlocked " + c.unlocked() + " repeat " + c.repeat();
        });
  }

  @Operation
  public String fail(
      @Param(name = "node") int node, @Param(name = "task") int task,
      @Param(name = "epoch") int epoch,
      @Param(name = "at") int at) {
    return attempt(
        () -> {
          TaskFailure f = store.fail(run, TASKS[task], NODES[node], epoch(epoch), now(at), POLICY);
          return "failed " + f.taskId() + " " + f.attemptsExhausted() + " " + f.attempts();
        });
  }

  @Operation
  public String status() {
    RunStatus s = store.status(run).orElseThrow();
    return s.tasksPending()
        + "/"
        + s.tasksReady()
        + "/"
        + s.tasksRunning()
        + "/"
        + s.tasksCompleted()
        + "/"
        + s.tasksFailed()
        + " "
        + s.state();
  }

  @Test
  void modelCheckingFindsNoNonLinearizableInterleaving() {
    new ModelCheckingOptions()
        .actorsBefore(0)
        .threads(2)
        .actorsPerThread(3)
        .actorsAfter(1)
        .iterations(8)
        .invocationsPerIteration(100)
        .check(InMemoryLeaseStoreLinearizabilityTest.class);
  }

  private static Instant now(int at) {
    return START.plusNanos(5L * at);
  }

  private static OptionalLong epoch(int epoch) {
    return epoch == 0 ? OptionalLong.empty() : OptionalLong.of(epoch);
  }

  private static Sha256Digest proof(int node) {
    return Sha256Digest.hash(("proof-" + node).getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(TaskGrant g) {
    return g.taskId() + " epoch " + g.leaseEpoch() + " until " + g.leaseExpires();
  }

  private static String attempt(Supplier<String> call) {
    try {
      return call.get();
    } catch (KasComputeException e) {
      ErrorCode code = e.code();
      return code.wireName();
    }
  }

  private static DagSpec.Node node(String id) {
    return new DagSpec.Node(id, 1, "", JsonNull.INSTANCE);
  }
}
