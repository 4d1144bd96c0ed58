package io.kascompute.dag.jobs;

/**
 * A job board's counts of the jobs it has taken from its source (finished jobs only while
 * retained).
 */
public record JobBoardStatus(int ready, int running, long completed, long failed) {}
