package io.kascompute.dag.jobs;

/**
 * The answer to a job completion.
 *
 * @param repeat true if the job was already completed with the same proof and nothing changed
 */
public record JobCompletion(long jobId, boolean repeat) {}
