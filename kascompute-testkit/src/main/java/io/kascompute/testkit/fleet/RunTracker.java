package io.kascompute.testkit.fleet;

import io.kascompute.core.wire.PathSegments;
import io.kascompute.core.wire.RunState;
import io.kascompute.core.wire.RunStatusResponse;
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
    V1Client.Answer a = client.get("/v1/runs/" + PathSegments.encode(run));
    if (a.ok()) {
      RunState state = a.as(RunStatusResponse::fromJson).state();
      if (state.finished()) {
        finished.putIfAbsent(run, state.wireName());
      }
    }
  }
}
