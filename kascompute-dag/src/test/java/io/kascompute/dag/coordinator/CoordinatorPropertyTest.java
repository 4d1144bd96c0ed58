package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonObject;
import io.kascompute.dag.lease.LeasePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CoordinatorPropertyTest {
  private static final List<String> STATES = List.of("running", "completed", "failed");

  @Property(tries = 40)
  void runStatusCountsAlwaysAddUpToTasksTotal(
      @ForAll("requests") List<Integer> requests, @ForAll("seeds") long seed) {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_710_000_000));
    Coordinator c = Coordinator.builder().clock(clock)
        .taskLeasePolicy(new LeasePolicy(Duration.ofSeconds(90), 2)).build();
    Http http = new Http(c);
    SimNode[] nodes = {new SimNode(1), new SimNode(2), new SimNode(3)};
    for (SimNode n : nodes) {
      http.post("/v1/nodes/heartbeat", n.heartbeat(clock.instant().getEpochSecond())).ok();
    }
    RandomDags.Spec spec = RandomDags.random(12, 16, seed);
    String dag = http.post("/v1/dags/submit", spec.submitBody()).ok().str("dag_id");
    String run = http.post("/v1/dags/" + dag + "/runs", "").ok().str("run_id");
    Map<Integer, JsonObject> leases = new HashMap<>();
    for (int r : requests) {
      SimNode n = nodes[(r / 8) % nodes.length];
      int who = (r / 8) % nodes.length;
      long now = clock.instant().getEpochSecond();
      JsonObject lease = leases.get(who);
      String taskPath = lease == null ? "/v1/runs/" + run + "/tasks/t00000"
          : "/v1/runs/" + run + "/tasks/" + SimNode.str(lease, "task_id");
      switch (r % 8) {
        case 0, 1 -> {
          Http.Reply g = http.post("/v1/runs/" + run + "/next", n.nodeBody());
          if (g.status() == 200 && g.obj("task") != null) {
            leases.put(who, g.obj("task"));
          }
        }
        case 2 -> {
          if (lease != null) {
            http.post(taskPath + "/proof", n.taskProof(lease, r, now, r % 16 < 8));
          }
        }
        case 3 -> http.post(taskPath + "/renew", n.nodeBody());
        case 4 -> http.post(taskPath + "/fail", n.nodeBody());
        case 5 -> clock.advance(Duration.ofSeconds(r % 120));
        case 6 -> http.post(taskPath + "/proof", "{\"node_id\":\"" + n.id + "\",\"work_units\":1,\"elapsed_ms\":1}");
        default -> http.post(taskPath + "/proof", "{\"node_id\":");
      }
      Http.Reply s = http.get("/v1/runs/" + run).ok();
      long sum = s.num("tasks_pending") + s.num("tasks_ready") + s.num("tasks_running")
          + s.num("tasks_completed") + s.num("tasks_failed");
      assertThat(sum).isEqualTo(s.num("tasks_total")).isEqualTo(12);
      assertThat(STATES).contains(s.str("state"));
    }
  }

  @Provide
  Arbitrary<List<Integer>> requests() {
    return Arbitraries.integers().between(0, 999).list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().between(0, 1_000);
  }
}
