package io.kascompute.dag.lease;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.wire.RunState;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lease rules every store applies, in one place: which claims a renewal, completion or
 * failure may make, the order of refusals, and a run's state from its counts. Stores that decide
 * in SQL first call these rules to name the refusal when their statement matched nothing.
 */
public final class LeaseRules {
  private LeaseRules() {}

  /** What a node asks to do with a lease it holds. */
  public enum Operation {
    /** Extend the lease. */
    RENEW,
    /** Complete with a proof. */
    COMPLETE,
    /** Report failure. */
    FAIL
  }

  /**
   * A unit's lease as the rules see it.
   *
   * @param epoch grants so far (0: never granted)
   * @param owner the node of the latest grant
   * @param claimed for a {@code READY} unit: its expired lease was reclaimed and its last owner may
   *     still complete or fail it
   * @param expiryNanos the current lease's expiry in nanoseconds since the epoch
   */
  public record Claim(
      LeaseState state, long epoch, Optional<NodeId> owner, boolean claimed, long expiryNanos) {}

  /**
   * Checks that {@code node} may perform {@code op} on the unit; returns normally when it may.
   * For {@link Operation#COMPLETE} of a completed unit the caller decides between a repeat and
   * {@code ALREADY_COMPLETED} (it compares proofs) — this method returns normally then.
   *
   * @param what the unit for messages, e.g. {@code "task t1 of run r"}
   * @param nowNanos the caller's clock, nanoseconds since the epoch
   * @throws KasComputeException {@code TASK_NOT_RUNNING}, {@code STALE_LEASE}, {@code NOT_OWNER},
   *     {@code LEASE_EXPIRED} or {@code ALREADY_COMPLETED}, checked in that order
   */
  public static void check(
      Claim c, NodeId node, OptionalLong givenEpoch, Operation op, long nowNanos, String what) {
    if (c.epoch() == 0) {
      throw refuse(ErrorCode.TASK_NOT_RUNNING, what, "it was never granted");
    }
    if (givenEpoch.isPresent() && givenEpoch.getAsLong() != c.epoch()) {
      throw refuse(ErrorCode.STALE_LEASE, what, "lease epoch " + givenEpoch.getAsLong()
          + " is not the current epoch " + c.epoch());
    }
    if (c.owner().isEmpty() || !c.owner().get().equals(node)) {
      throw refuse(ErrorCode.NOT_OWNER, what, "node " + node + " does not hold the lease"
          + c.owner().map(o -> "; " + o + " does").orElse(""));
    }
    boolean reclaimed = c.state() == LeaseState.READY && c.claimed();
    switch (op) {
      case RENEW -> {
        if (reclaimed || (c.state() == LeaseState.RUNNING && nowNanos >= c.expiryNanos())) {
          throw refuse(ErrorCode.LEASE_EXPIRED, what, "the lease has expired");
        }
        if (c.state() == LeaseState.COMPLETED) {
          throw refuse(ErrorCode.ALREADY_COMPLETED, what, "it is already completed");
        }
        if (c.state() != LeaseState.RUNNING) {
          throw notRunning(c, what);
        }
      }
      case COMPLETE -> {
        if (c.state() != LeaseState.COMPLETED && c.state() != LeaseState.RUNNING && !reclaimed) {
          throw notRunning(c, what);
        }
      }
      case FAIL -> {
        if (c.state() == LeaseState.COMPLETED) {
          throw refuse(ErrorCode.ALREADY_COMPLETED, what, "it is already completed");
        }
        if (c.state() != LeaseState.RUNNING && !reclaimed) {
          throw notRunning(c, what);
        }
      }
    }
  }

  /** The refusal of a second, different proof for a completed unit. */
  public static KasComputeException alreadyCompleted(String what) {
    return refuse(ErrorCode.ALREADY_COMPLETED, what, "it is already completed with another proof");
  }

  /**
   * The refusal of a completion whose proof identity ({@link
   * io.kascompute.dag.ledger.AcceptedProof#proofHash()}) the record already holds for another
   * unit: a proof is credited once, whichever coordinator sees it again.
   */
  public static KasComputeException replayedProof(String what, io.kascompute.core.Sha256Digest proofHash) {
    return refuse(ErrorCode.REPLAYED_PROOF, what, "a proof with identity "
        + proofHash.hex().substring(0, 16) + "… is already recorded");
  }

  /**
   * A run's state from its counts: completed when every task completed, failed when some task
   * failed and none is ready or running, running otherwise.
   */
  public static RunState runState(long total, long ready, long running, long completed, long failed) {
    if (completed == total) {
      return RunState.COMPLETED;
    }
    return failed > 0 && ready == 0 && running == 0 ? RunState.FAILED : RunState.RUNNING;
  }

  private static KasComputeException notRunning(Claim c, String what) {
    String state = switch (c.state()) {
      case PENDING -> "pending";
      case FAILED -> "failed";
      case READY -> "requeued and not leased to this node";
      default -> c.state().name().toLowerCase(java.util.Locale.ROOT);
    };
    return refuse(ErrorCode.TASK_NOT_RUNNING, what, "it is " + state);
  }

  private static KasComputeException refuse(ErrorCode code, String what, String why) {
    return new KasComputeException(code, what + ": " + why);
  }
}
