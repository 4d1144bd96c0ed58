/**
 * The lease-store SPI for DAGs, runs and task leases, the lease rules every store shares, and
 * their records.
 */
package io.kascompute.dag.lease;
