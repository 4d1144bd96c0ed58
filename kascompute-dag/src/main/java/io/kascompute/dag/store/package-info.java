/**
 * The set of stores a coordinator keeps everything in, in memory or (with {@code
 * io.kascompute.dag.jdbc}) on PostgreSQL.
 */
package io.kascompute.dag.store;
