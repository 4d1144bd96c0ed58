/** KASCompute dag: ComputeDAG model and hashing, leasing with a store SPI, the coordinator facade. */
module io.kascompute.dag {
  requires transitive io.kascompute.core;
  requires transitive io.kascompute.crypto;
  requires transitive java.sql;

  exports io.kascompute.dag;
  exports io.kascompute.dag.lease;
  exports io.kascompute.dag.directory;
  exports io.kascompute.dag.jobs;
  exports io.kascompute.dag.ledger;
  exports io.kascompute.dag.store;
  exports io.kascompute.dag.coordinator;
  exports io.kascompute.dag.jdbc;
}
