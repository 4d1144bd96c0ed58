package io.kascompute.dag.internal;

import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.LeaseStoreLimitsTest;
import io.kascompute.dag.lease.StoreLimits;

/** The store limits on the in-memory lease store. */
class InMemoryLeaseStoreLimitsTest extends LeaseStoreLimitsTest {
  @Override
  protected LeaseStore store(StoreLimits limits) {
    return new InMemoryLeaseStore(new InMemoryProofLedger(1000), limits);
  }
}
