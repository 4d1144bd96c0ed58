package io.kascompute.dag.jobs;

/** A job store's counts per state: expired jobs are those that ran out of attempts. */
public record JobCounts(long pending, long running, long completed, long expired) {}
