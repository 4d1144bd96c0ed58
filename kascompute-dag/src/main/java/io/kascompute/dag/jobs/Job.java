package io.kascompute.dag.jobs;

/**
 * A plain job as a host supplies it.
 *
 * @param id unsigned 64-bit job id held in a {@code long}, unique among the jobs a board sees
 * @param workUnits unsigned 64-bit work units held in a {@code long}
 */
public record Job(long id, long workUnits) {}
