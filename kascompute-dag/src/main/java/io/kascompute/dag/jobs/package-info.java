/**
 * The job-store SPI: plain jobs with store-assigned ids, leased on the task rules, and the shared
 * pool's top-up.
 */
package io.kascompute.dag.jobs;
