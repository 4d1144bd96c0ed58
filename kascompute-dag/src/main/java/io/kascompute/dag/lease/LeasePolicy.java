package io.kascompute.dag.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a lease lasts and how many grants a task gets before it fails.
 *
 * @param leaseDuration the lease window granted and renewed (V1 default 90 s for tasks)
 * @param maxAttempts the number of grants after which an expired or failed task becomes failed
 */
public record LeasePolicy(Duration leaseDuration, int maxAttempts) {
  /** The V1 task default: 90 s leases, 3 attempts. */
  public static final LeasePolicy TASK_DEFAULT = new LeasePolicy(Duration.ofSeconds(90), 3);

  /** The V1 job default: 60 s leases, 3 attempts. */
  public static final LeasePolicy JOB_DEFAULT = new LeasePolicy(Duration.ofSeconds(60), 3);

  /** Validates the policy. */
  public LeasePolicy {
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException("leaseDuration must be positive: " + leaseDuration);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
  }
}
