package io.kascompute.testkit.server;

import io.kascompute.dag.coordinator.CoordinatorResponse;
import java.util.Optional;

/** What the HTTP binding calls for each request: the coordinator's framework-neutral entry point. */
@FunctionalInterface
interface RequestHandler {
  /** Answers one request; never throws for bad input (it answers with an error envelope). */
  CoordinatorResponse handle(String method, String rawPath, byte[] body, Optional<String> remoteAddress);
}
