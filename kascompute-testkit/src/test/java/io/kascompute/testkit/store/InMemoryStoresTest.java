package io.kascompute.testkit.store;

import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.store.CoordinatorStores;

/** Every store kit on the in-memory set. */
class InMemoryStoresTest extends CoordinatorStoresContract {
  @Override
  protected CoordinatorStores newStores(DirectoryLimits limits) {
    return CoordinatorStores.inMemoryBuilder().directoryLimits(limits).build();
  }
}
