package io.kascompute.testkit.fleet;

import io.kascompute.core.wire.DagSubmitResponse;
import io.kascompute.core.wire.PathSegments;
import io.kascompute.core.wire.RunCreated;
import io.kascompute.core.wire.RunStatusResponse;
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
    DagSubmitResponse dag = ok(client.post("/v1/dags/submit", submitBody), "DAG submit")
        .as(DagSubmitResponse::fromJson);
    return ok(client.post("/v1/dags/" + PathSegments.encode(dag.dagId().value()) + "/runs", new byte[0]),
        "run create").as(RunCreated::fromJson).runId().value();
  }

  /**
   * The run's state and counts as the coordinator reports them ({@code GET /v1/runs/:run_id}).
   *
   * @throws IOException if the coordinator cannot be reached or refuses the request
   */
  public static RunStatusResponse status(URI coordinator, String runId)
      throws IOException, InterruptedException {
    V1Client client = new V1Client(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), coordinator);
    return ok(client.get("/v1/runs/" + PathSegments.encode(runId)), "run status")
        .as(RunStatusResponse::fromJson);
  }

  private static V1Client.Answer ok(V1Client.Answer a, String what) throws IOException {
    if (!a.ok() || a.data().isEmpty()) {
      throw new IOException(what + " refused: " + a);
    }
    return a;
  }
}
