package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.wire.DagSpecView;
import io.kascompute.core.wire.DagView;
import io.kascompute.core.wire.DashboardOverview;
import io.kascompute.core.wire.HealthResponse;
import io.kascompute.core.wire.JobView;
import io.kascompute.core.wire.JobsSummary;
import io.kascompute.core.wire.ListResponse;
import io.kascompute.core.wire.MetricsResponse;
import io.kascompute.core.wire.NodeView;
import io.kascompute.core.wire.ProofView;
import io.kascompute.core.wire.RecentJob;
import io.kascompute.core.wire.RunTaskView;
import io.kascompute.core.wire.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read views deployed coordinators serve, decoded with the wire codecs. */
class CoordinatorViewsTest {
  static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  MutableClock clock = new MutableClock(T0);
  Coordinator coordinator;
  Http http;
  SimNode node = new SimNode(1);
  SimNode miner = new SimNode(2);

  @BeforeEach
  void setUp() {
    coordinator = Coordinator.builder().clock(clock).build();
    for (int i = 0; i < 3; i++) {
      coordinator.addJob(100 + i);
    }
    http = new Http(coordinator);
    http.post("/v1/nodes/heartbeat", node.heartbeat(now(), "node")).ok();
    http.post("/v1/nodes/heartbeat", miner.heartbeat(now(), "miner")).ok();
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  <T extends io.kascompute.core.wire.WireResponse> List<T> list(String path, Function<JsonObject, T> read) {
    JsonValue data = http.get(path).ok().envelope().members().get("data");
    return ListResponse.fromJson(data, read).items();
  }

  @Test
  void healthNodesAndMetricsCarryV1Fields() {
    assertThat(HealthResponse.fromJson(http.get("/v1/health").ok().data()).timestamp()).isEqualTo(now());
    clock.advance(Duration.ofSeconds(100));
    http.post("/v1/nodes/heartbeat", miner.heartbeat(now(), "miner")).ok();
    List<NodeView> nodes = list("/v1/nodes", NodeView::fromJson);
    assertThat(nodes).hasSize(2);
    NodeView n = nodes.stream().filter(v -> v.nodeId().value().equals(node.id)).findFirst().orElseThrow();
    assertThat(n.isOnline()).isTrue();
    assertThat(n.secondsSinceSeen()).isEqualTo(100);
    assertThat(n.isNodeOnline()).isTrue();
    assertThat(n.isMinerOnline()).isFalse();
    assertThat(n.secondsSinceMinerSeen()).isEmpty();
    assertThat(n.keyPinned()).isTrue();
    NodeView m = nodes.stream().filter(v -> v.nodeId().value().equals(miner.id)).findFirst().orElseThrow();
    assertThat(m.isMinerOnline()).isTrue();
    assertThat(m.secondsSinceMinerSeen()).hasValue(0);
    // pages in id order
    String first = nodes.get(0).nodeId().value();
    assertThat(list("/v1/nodes?limit=1", NodeView::fromJson)).extracting(NodeView::nodeId)
        .containsExactly(nodes.get(0).nodeId());
    assertThat(list("/v1/nodes?limit=1&after=" + first, NodeView::fromJson))
        .extracting(NodeView::nodeId).containsExactly(nodes.get(1).nodeId());
    http.get("/v1/nodes?limit=0").expect(400, "field_out_of_range");
    http.get("/v1/nodes?limit=1001").expect(400, "field_out_of_range");
    http.get("/v1/nodes?limit=x").expect(400, "field_out_of_range");

    MetricsResponse metrics = MetricsResponse.fromJson(http.get("/v1/metrics").ok().data());
    assertThat(metrics.windowSec()).isEqualTo(300);
    assertThat(metrics.timestamp()).isEqualTo(now());
    // role-specific activity: the node's heartbeat is 100 s old, the miner's fresh
    assertThat(metrics.activeNodes90s()).isZero();
    assertThat(metrics.activeMiners90s()).isEqualTo(1);
  }

  @Test
  void jobViewsSummaryRecentAndProofs() {
    long job = Http.Reply.num(http.post("/v1/jobs/next", node.nodeBody()).ok().obj("job"), "id");
    clock.advance(Duration.ofSeconds(2));
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(node.jobProof(job, 100, 20, now()))).ok();
    http.post("/v1/jobs/next", miner.nodeBody()).ok();

    List<JobView> jobs = list("/v1/jobs", JobView::fromJson);
    assertThat(jobs).extracting(JobView::id).containsExactly(1L, 2L, 3L);
    assertThat(jobs).extracting(j -> j.status().wireName()).containsExactly("completed", "running", "pending");
    assertThat(jobs.get(1).assignedTo()).hasValueSatisfying(id -> assertThat(id.value()).isEqualTo(miner.id));
    assertThat(list("/v1/jobs?after=1&limit=1", JobView::fromJson)).extracting(JobView::id).containsExactly(2L);
    assertThat(JobsSummary.fromJson(http.get("/v1/jobs/summary").ok().data()))
        .isEqualTo(new JobsSummary(1, 1, 1, 0));

    List<RecentJob> recent = list("/v1/jobs/recent", RecentJob::fromJson);
    assertThat(recent.get(0).job().id()).isEqualTo(2);
    RecentJob done = recent.stream().filter(r -> r.job().id() == 1).findFirst().orElseThrow();
    assertThat(done.proofs()).hasSize(1);
    assertThat(done.proofs().get(0).scheme()).isPresent();

    List<ProofView> proofs = list("/v1/proofs", ProofView::fromJson);
    assertThat(proofs).hasSize(1);
    assertThat(proofs.get(0).jobId()).hasValue(1);
    assertThat(proofs.get(0).coordinator()).isEqualTo(coordinator.coordinatorId());
    assertThat(proofs.get(0).signatureVerified()).isTrue();
  }

  @Test
  void dagViewsSpecPagesAndRunTasks() {
    Http.Reply dag = http.post("/v1/dags/submit", CoordinatorEndToEndTest.DIAMOND).ok();
    String dagId = dag.str("dag_id");
    List<DagView> dags = list("/v1/dags", DagView::fromJson);
    assertThat(dags).extracting(d -> d.dagId().value()).containsExactly(dagId);
    DagView one = DagView.fromJson(http.get("/v1/dags/" + dagId).ok().data());
    assertThat(one.tasksTotal()).isEqualTo(4);
    assertThat(one.edgesTotal()).isEqualTo(4);
    http.get("/v1/dags/" + "0".repeat(64)).expect(404, "unknown_dag");

    DagSpecView spec = DagSpecView.fromJson(http.get("/v1/dags/" + dagId + "/spec").ok().data());
    assertThat(spec.name()).isEqualTo("diamond");
    assertThat(spec.nodes()).extracting(t -> t.taskId().value()).containsExactly("a", "b", "c", "d");
    assertThat(spec.nodes().get(2).taskType()).isEqualTo("gpu");
    assertThat(spec.edges()).hasSize(4);
    DagSpecView page = DagSpecView.fromJson(http.get("/v1/dags/" + dagId + "/spec?after=a&limit=2").ok().data());
    assertThat(page.nodes()).extracting(t -> t.taskId().value()).containsExactly("b", "c");
    assertThat(page.edges()).extracting(e -> e.to().value()).containsExactly("d", "d");

    String run = http.post("/v1/dags/" + dagId + "/runs", "").ok().str("run_id");
    http.post("/v1/runs/" + run + "/next", node.nodeBody()).ok();
    List<RunTaskView> tasks = list("/v1/runs/" + run + "/tasks", RunTaskView::fromJson);
    assertThat(tasks).extracting(RunTaskView::status)
        .containsExactly(TaskState.RUNNING, TaskState.PENDING, TaskState.PENDING, TaskState.PENDING);
    assertThat(tasks.get(0).owner()).hasValueSatisfying(o -> assertThat(o.value()).isEqualTo(node.id));
    assertThat(tasks.get(0).leaseExpiresUnix()).hasValue(now() + 90);
    assertThat(list("/v1/runs/" + run + "/tasks?after=b", RunTaskView::fromJson)).hasSize(2);
    http.get("/v1/runs/run-nope-1/tasks").expect(404, "unknown_run");
  }

  @Test
  void dashboardOverviewCountsTheWindow() {
    long job = Http.Reply.num(http.post("/v1/jobs/next", node.nodeBody()).ok().obj("job"), "id");
    http.post("/v1/jobs/" + job + "/proof", SimNode.json(node.jobProof(job, 100, 20, now()))).ok();
    DashboardOverview d = DashboardOverview.fromJson(http.get("/v1/dashboard/overview").ok().data());
    assertThat(d.proofsWindow()).isEqualTo(1);
    assertThat(d.verifiedProofsWindow()).isEqualTo(1);
    assertThat(d.verificationShare()).isEqualTo(1.0);
    assertThat(d.nodesTotal()).isEqualTo(2);
    assertThat(d.pinnedKeysTotal()).isEqualTo(2);
    assertThat(d.proofsTotal()).isEqualTo(1);
    assertThat(d.jobs().completed()).isEqualTo(1);
    JsonObject raw = http.get("/v1/dashboard/overview").ok().data();
    assertThat(raw.members()).containsKeys("window_sec", "timestamp", "verification_share");
    assertThat(raw.members().get("verification_share")).isInstanceOf(io.kascompute.core.json.JsonNumber.class);
    assertThat(raw.members().get("jobs")).isInstanceOf(JsonObject.class);
    assertThat(((JsonArray) http.get("/v1/proofs?limit=1").ok().envelope().members().get("data")).elements())
        .hasSize(1);
  }
}
