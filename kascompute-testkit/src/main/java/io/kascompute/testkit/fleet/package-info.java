/**
 * The fleet simulator: {@link io.kascompute.testkit.fleet.Fleet} runs simulated nodes against V1
 * coordinators over HTTP and injects {@link io.kascompute.testkit.fleet.Fault}s, with helpers to
 * submit generated DAGs and inspect their runs.
 */
package io.kascompute.testkit.fleet;
