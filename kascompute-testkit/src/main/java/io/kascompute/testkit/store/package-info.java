/**
 * The store contract kits: abstract JUnit 5 test classes ({@link
 * io.kascompute.testkit.store.LeaseStoreContract}, {@link
 * io.kascompute.testkit.store.NodeDirectoryContract}, {@link
 * io.kascompute.testkit.store.JobStoreContract}, {@link
 * io.kascompute.testkit.store.ProofLedgerContract}, {@link
 * io.kascompute.testkit.store.LedgerLogContract}, and {@link
 * io.kascompute.testkit.store.CoordinatorStoresContract}, which runs them all) that a store
 * implementation extends to prove it keeps the SPIs' rules.
 */
package io.kascompute.testkit.store;
