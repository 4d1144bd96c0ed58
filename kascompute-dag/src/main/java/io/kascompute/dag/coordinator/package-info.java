/**
 * The framework-neutral V1 coordinator: every endpoint and read view behind typed methods and one
 * HTTP entry point, node identity, verification policies, admission bounds and metrics.
 */
package io.kascompute.dag.coordinator;
