package io.kascompute.core.metrics;

/**
 * Everything-time totals of one node since the aggregator first saw it.
 *
 * @param proofs accepted proofs (jobs and tasks)
 * @param workUnits work units of accepted proofs (unsigned, saturating at 2^64-1)
 * @param rejections refused requests attributed to the node
 */
public record NodeTotals(long proofs, long workUnits, long rejections) {}
