package io.kascompute.testkit.fleet;

import io.kascompute.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;

/** Submits DAGs and starts and inspects runs on a V1 coordinator over HTTP. */
public final class DagRuns {
  private DagRuns() {}

  /**
   * Submits a DAG ({@code POST /v1/dags/submit}) and creates a run of it ({@code POST
   * /v1/dags/:dag_id/runs}).
   *
   * @param submitBody the submit request body, e.g. from {@link DagGenerator}
   * @return the new run's id
   * @throws IOException if the coordinator cannot be reached or refuses either request
   */
  public static String start(URI coordinator, byte[] submitBody) throws IOException, InterruptedException {
    V1Client client = new V1Client(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), coordinator);
    JsonObject dag = data(client.post("/v1/dags/submit", submitBody), "DAG submit");
    String dagId = SimNode.str(dag, "dag_id");
    JsonObject run = data(client.post("/v1/dags/" + dagId + "/runs", new byte[0]), "run create");
    return SimNode.str(run, "run_id");
  }

  /**
   * The run's state as the coordinator reports it ({@code GET /v1/runs/:run_id}).
   *
   * @throws IOException if the coordinator cannot be reached or refuses the request
   */
  public static RunState status(URI coordinator, String runId) throws IOException, InterruptedException {
    V1Client client = new V1Client(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), coordinator);
    JsonObject d = data(client.get("/v1/runs/" + runId), "run status");
    return new RunState(SimNode.str(d, "state"), SimNode.num(d, "tasks_total"),
        SimNode.num(d, "tasks_completed"), SimNode.num(d, "tasks_failed"));
  }

  /**
   * A run's state and counts.
   *
   * @param state {@code running}, {@code completed} or {@code failed}
   */
  public record RunState(String state, long tasksTotal, long tasksCompleted, long tasksFailed) {
    /** True if every task completed. */
    public boolean completed() {
      return state.equals("completed") && tasksCompleted == tasksTotal;
    }
  }

  private static JsonObject data(V1Client.Answer a, String what) throws IOException {
    if (!a.ok() || a.data().isEmpty()) {
      throw new IOException(what + " refused: " + a);
    }
    return a.data().get();
  }
}
