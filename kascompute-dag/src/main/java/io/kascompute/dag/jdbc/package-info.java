/**
 * The PostgreSQL coordinator stores: {@link io.kascompute.dag.jdbc.JdbcStores} builds a set of
 * lease store, node directory, job store and proof record (with the ledger) on one {@code
 * DataSource}, shared by every coordinator on the database and kept across restarts; {@link
 * io.kascompute.dag.jdbc.JdbcSchema} installs and upgrades the {@code kc_*} tables.
 */
package io.kascompute.dag.jdbc;
