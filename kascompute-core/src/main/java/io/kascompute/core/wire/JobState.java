package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Locale;

/**
 * The state of a plain job in the read views, with V1's names. An SDK coordinator requeues a job
 * whose lease expired; {@link #EXPIRED} is a job whose leases expired as often as its attempts
 * allow, after which it is never granted again.
 */
public enum JobState {
  /** Waiting to be leased (new, or requeued after an expired lease). */
  PENDING,
  /** Leased to a node. */
  RUNNING,
  /** Completed with an accepted proof. */
  COMPLETED,
  /** Out of attempts: every lease expired. */
  EXPIRED;

  /** The wire name, lowercase. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state with this wire name.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for any other text
   */
  public static JobState fromWireName(String name) {
    for (JobState s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "unknown job state \"" + name + "\"");
  }
}
