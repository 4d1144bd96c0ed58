package io.kascompute.testkit.fleet;

import io.kascompute.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which of the fleet's runs are still going, as last seen by any node. */
final class RunTracker {
  private final List<String> runs;
  private final Map<String, String> finished = new ConcurrentHashMap<>();

  RunTracker(List<String> runs) {
    this.runs = List.copyOf(runs);
  }

  boolean tracking() {
    return !runs.isEmpty();
  }

  List<String> unfinished() {
    return finished.isEmpty() ? runs : runs.stream().filter(r -> !finished.containsKey(r)).toList();
  }

  boolean allFinished() {
    return finished.size() == runs.size();
  }

  void finished(String run) {
    finished.putIfAbsent(run, "finished");
  }

  /** Asks the server for the run's state and remembers it if the run is over. */
  void refresh(String run, V1Client client) throws IOException, InterruptedException {
    V1Client.Answer a = client.get("/v1/runs/" + run);
    if (a.ok()) {
      JsonObject d = a.data().orElseThrow();
      String state = SimNode.str(d, "state");
      if (!state.equals("running")) {
        finished.putIfAbsent(run, state);
      }
    }
  }
}
