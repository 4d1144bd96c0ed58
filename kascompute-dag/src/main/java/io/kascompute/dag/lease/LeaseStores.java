package io.kascompute.dag.lease;

import io.kascompute.dag.internal.InMemoryLeaseStore;

/** Factories for the lease stores the SDK ships. */
public final class LeaseStores {
  private LeaseStores() {}

  /**
   * A new, empty in-memory store: the embedded default for a single coordinator process.
   *
   * <p>It keeps each run in primitive arrays (about 35 bytes per task, plus an 8-byte id index per stored DAG), locks per run, grants in
   * amortised O(1) and completes in O(out-degree); state is lost when the process ends.
   */
  public static LeaseStore inMemory() {
    return new InMemoryLeaseStore();
  }
}
