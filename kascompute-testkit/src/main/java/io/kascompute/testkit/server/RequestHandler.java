package io.kascompute.testkit.server;

/** What the HTTP binding calls for each request: the coordinator's framework-neutral entry point. */
@FunctionalInterface
interface RequestHandler {
  /** Answers one request; must not throw for bad input (it answers with an error envelope). */
  Reply handle(String method, String path, byte[] body);

  /** A status code and the envelope bytes to send. */
  record Reply(int status, byte[] body) {}
}
