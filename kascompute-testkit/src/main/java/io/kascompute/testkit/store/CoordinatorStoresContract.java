package io.kascompute.testkit.store;

import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.store.CoordinatorStores;
import org.junit.jupiter.api.Nested;

/**
 * The contract kits of every store of a {@link CoordinatorStores} set in one class: extend it,
 * return a fresh, empty set from {@link #newStores(DirectoryLimits)}, and JUnit 5 runs {@link
 * LeaseStoreContract}, {@link NodeDirectoryContract}, {@link JobStoreContract}, {@link
 * ProofLedgerContract} and {@link LedgerLogContract} as nested groups.
 *
 * <pre>{@code
 * class MyStoresTest extends CoordinatorStoresContract {
 *   protected CoordinatorStores newStores(DirectoryLimits limits) {
 *     return MyStores.fresh(dataSource, limits);
 *   }
 * }
 * }</pre>
 */
public abstract class CoordinatorStoresContract {
  /**
   * A fresh, empty set whose directory has these bounds; called before every test (some tests
   * open a second set with small bounds).
   */
  protected abstract CoordinatorStores newStores(DirectoryLimits directoryLimits);

  /** Releases a set after its test; closes it by default. */
  protected void closeStores(CoordinatorStores stores) throws Exception {
    stores.close();
  }

  /** The lease-store kit. */
  @Nested
  class Leases extends LeaseStoreContract {
    @Override
    protected CoordinatorStores newStores(DirectoryLimits limits) {
      return CoordinatorStoresContract.this.newStores(limits);
    }

    @Override
    protected void closeStores(CoordinatorStores stores) throws Exception {
      CoordinatorStoresContract.this.closeStores(stores);
    }
  }

  /** The node-directory kit. */
  @Nested
  class Directory extends NodeDirectoryContract {
    @Override
    protected CoordinatorStores newStores(DirectoryLimits limits) {
      return CoordinatorStoresContract.this.newStores(limits);
    }

    @Override
    protected void closeStores(CoordinatorStores stores) throws Exception {
      CoordinatorStoresContract.this.closeStores(stores);
    }
  }

  /** The job-store kit. */
  @Nested
  class Jobs extends JobStoreContract {
    @Override
    protected CoordinatorStores newStores(DirectoryLimits limits) {
      return CoordinatorStoresContract.this.newStores(limits);
    }

    @Override
    protected void closeStores(CoordinatorStores stores) throws Exception {
      CoordinatorStoresContract.this.closeStores(stores);
    }
  }

  /** The proof-record kit. */
  @Nested
  class Ledger extends ProofLedgerContract {
    @Override
    protected CoordinatorStores newStores(DirectoryLimits limits) {
      return CoordinatorStoresContract.this.newStores(limits);
    }

    @Override
    protected void closeStores(CoordinatorStores stores) throws Exception {
      CoordinatorStoresContract.this.closeStores(stores);
    }
  }

  /** The verifiable-log kit. */
  @Nested
  class Log extends LedgerLogContract {
    @Override
    protected CoordinatorStores newStores(DirectoryLimits limits) {
      return CoordinatorStoresContract.this.newStores(limits);
    }

    @Override
    protected void closeStores(CoordinatorStores stores) throws Exception {
      CoordinatorStoresContract.this.closeStores(stores);
    }
  }
}
