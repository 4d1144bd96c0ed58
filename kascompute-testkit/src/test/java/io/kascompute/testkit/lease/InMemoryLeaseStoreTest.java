package io.kascompute.testkit.lease;

import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.store.CoordinatorStores;

/** Runs the lease-store contract against the in-memory store. */
class InMemoryLeaseStoreTest extends LeaseStoreContract {
  @Override
  protected LeaseStore newStore() {
    return CoordinatorStores.inMemory().leases();
  }
}
