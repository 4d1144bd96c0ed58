package io.kascompute.testkit.server;

import io.kascompute.dag.lease.LeaseStore;
import java.util.Optional;

/** Opens the lease store a reference server runs on. */
final class Stores {
  private Stores() {}

  /**
   * A store and what to close with it.
   *
   * @param store the store, or empty for the coordinator's default in-memory store
   */
  record Opened(Optional<LeaseStore> store, Optional<AutoCloseable> closeable) {}

  static Opened open(ReferenceServer.Settings settings) {
    if (settings.jdbc().isPresent()) {
      throw new IllegalStateException("PostgreSQL store not wired yet");
    }
    return new Opened(Optional.empty(), Optional.empty());
  }
}
