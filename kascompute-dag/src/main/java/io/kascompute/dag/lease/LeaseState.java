package io.kascompute.dag.lease;

import io.kascompute.core.wire.TaskState;

/**
 * The state of a leased unit (a DAG task or a plain job) in every store, with the small integer
 * code SQL stores keep for it. A {@link #READY} unit whose expired lease was reclaimed is still
 * <em>claimed</em> by its last owner until it is granted again; stores keep that as a separate
 * flag.
 */
public enum LeaseState {
  /** Some dependency is not completed (tasks only). */
  PENDING(0),
  /** May be granted. */
  READY(1),
  /** Leased to its owner (the lease may have expired without being reclaimed yet). */
  RUNNING(2),
  /** Done, forever. */
  COMPLETED(3),
  /** Out of attempts. */
  FAILED(4);

  private static final LeaseState[] BY_CODE = values();

  private final int code;

  LeaseState(int code) {
    this.code = code;
  }

  /** The code a SQL store keeps in its {@code state} column. */
  public int code() {
    return code;
  }

  /**
   * The state with this code.
   *
   * @throws IllegalArgumentException for an unknown code
   */
  public static LeaseState ofCode(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("no lease state has code " + code);
    }
    return BY_CODE[code];
  }

  /** The state as the read views show it. */
  public TaskState view() {
    return TaskState.valueOf(name());
  }
}
