/**
 * An optional Micrometer binding of the coordinator's metrics (Micrometer is an optional
 * dependency).
 */
package io.kascompute.core.metrics.micrometer;
