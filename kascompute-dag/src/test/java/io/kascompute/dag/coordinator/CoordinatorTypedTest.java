package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.FailRequest;
import io.kascompute.core.wire.RenewRequest;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.lease.TaskGrant;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CoordinatorTypedTest {
  MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_710_000_000));
  Coordinator coordinator = Coordinator.builder().clock(clock).build();
  SimNode n1 = new SimNode(1);

  static JsonObject obj(String json) {
    return (JsonObject) StrictJsonReader.withDefaults().read(json);
  }

  static ErrorCode code(Runnable r) {
    try {
      r.run();
    } catch (KasComputeException e) {
      return e.code();
    }
    throw new AssertionError("no refusal");
  }

  @Test
  void typedCallsRunADiamond() {
    coordinator.heartbeat(HeartbeatRequest.fromJson(obj(n1.heartbeat(clock.instant().getEpochSecond()))), Optional.empty());
    ComputeDag dag = coordinator.submitDag(DagSpec.fromSubmitBody(obj(CoordinatorEndToEndTest.DIAMOND)));
    assertThat(dag.taskCount()).isEqualTo(4);
    RunId run = coordinator.createRun(dag.id());
    NodeId me = NodeId.of(n1.id);
    TaskGrant a = coordinator.nextTask(run, me).orElseThrow();
    assertThat(coordinator.renewTask(run, TaskId.of("a"), new RenewRequest(me, OptionalLong.of(1))).leaseEpoch())
        .isEqualTo(1);
    JsonObject leaseJson = obj(new String(WireMapper.taskNext(Optional.of(a)).task().orElseThrow().toJson(),
        java.nio.charset.StandardCharsets.UTF_8));
    TaskAcceptance accepted = coordinator.submitTaskProof(run, TaskId.of("a"),
        TaskProofRequest.fromJson(obj(n1.taskProof(leaseJson, 5, 1, true))));
    assertThat(accepted.completion().unlocked()).hasSize(2);
    assertThat(accepted.proof().scheme()).contains(SignatureScheme.DIGEST);
    assertThat(coordinator.runStatus(run).tasksCompleted()).isEqualTo(1);
    assertThat(coordinator.metrics().tasksCompletedWindow()).isEqualTo(1);

    assertThat(code(() -> coordinator.runStatus(RunId.of("run-nope-1")))).isEqualTo(ErrorCode.UNKNOWN_RUN);
    assertThat(code(() -> coordinator.createRun(DagId.of("nope")))).isEqualTo(ErrorCode.UNKNOWN_DAG);
    assertThat(code(() -> coordinator.submitTaskProof(run, TaskId.of("zz"),
        TaskProofRequest.fromJson(obj(n1.taskProof(leaseJson, 5, 1, true)))))).isEqualTo(ErrorCode.UNKNOWN_TASK);
    assertThat(code(() -> coordinator.failTask(run, TaskId.of("a"), new FailRequest(me, OptionalLong.empty()))))
        .isEqualTo(ErrorCode.ALREADY_COMPLETED);
    // the HTTP entry point counts its refusals in the metrics
    coordinator.handle("GET", "/v1/runs/run-nope-1", new byte[0]);
    assertThat(coordinator.metrics().rejectionsWindow()).containsEntry("unknown_run", 1L);
  }

  @Test
  void invalidDagSpecsAreRefusedWithTheirCodes() {
    String cyclic = "{\"spec\":{\"name\":\"c\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1},{\"task_id\":\"b\",\"work_units\":1}],"
        + "\"edges\":[{\"from\":\"a\",\"to\":\"b\"},{\"from\":\"b\",\"to\":\"a\"}]}}";
    Http http = new Http(coordinator);
    http.post("/v1/dags/submit", cyclic).expect(422, "cycle");
    http.post("/v1/dags/submit", "{\"spec\":{\"name\":\"e\",\"nodes\":[],\"edges\":[]}}").expect(422, "empty_dag");
    http.post("/v1/dags/submit", "{\"spec\":{\"name\":\"e\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":-1}],\"edges\":[]}}")
        .expect(400, "field_out_of_range");
    http.post("/v1/dags/submit", "{}").expect(400, "missing_field");
    // submitting the same DAG twice answers the same ids
    String one = "{\"spec\":{\"name\":\"one\",\"nodes\":[{\"task_id\":\"a\",\"work_units\":1}],\"edges\":[]}}";
    assertThat(http.post("/v1/dags/submit", one).ok().str("dag_id")).isEqualTo(http.post("/v1/dags/submit", one).ok().str("dag_id"));
  }

  @Test
  void builderRefusesNonsense() {
    assertThatThrownBy(() -> Coordinator.builder().maxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Coordinator.builder().clock(null)).isInstanceOf(NullPointerException.class);
    assertThat(Coordinator.builder().build().verificationPolicy()).isEqualTo(VerificationPolicy.STRICT);
  }
}
