package io.kascompute.dag.jobs;

/**
 * The answer to a job failure report.
 *
 * @param failed true if the job used up its attempts and is now failed; false if it was requeued
 */
public record JobFailure(long jobId, boolean failed, int attempts) {}
