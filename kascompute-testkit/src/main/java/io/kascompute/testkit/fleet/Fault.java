package io.kascompute.testkit.fleet;

import java.util.Set;

/** A misbehaviour the fleet injects on purpose, with the refusals a correct coordinator answers. */
public enum Fault {
  /** The node takes a lease and never comes back; the lease must expire and the work be redone. */
  ABANDON(0, Set.of()),
  /** The node works past its lease and then tries to renew it. */
  RUN_PAST_LEASE(409, Set.of("lease_expired", "stale_lease")),
  /** The node submits a proof with a lease epoch that is not the current one. */
  STALE_EPOCH(409, Set.of("stale_lease")),
  /** The node submits a proof it already had accepted, for another task or job. */
  REPLAYED_PROOF(422, Set.of("hash_mismatch", "work_units_mismatch")),
  /** The node submits a proof whose signature was altered. */
  TAMPERED_SIGNATURE(422, Set.of("bad_signature"));

  private final int expectedStatus;
  private final Set<String> expectedCodes;

  Fault(int expectedStatus, Set<String> expectedCodes) {
    this.expectedStatus = expectedStatus;
    this.expectedCodes = expectedCodes;
  }

  /** The HTTP status of the expected refusal; 0 if the fault draws no answer at all. */
  public int expectedStatus() {
    return expectedStatus;
  }

  /** The error codes that count as the expected refusal; empty if the fault draws no answer. */
  public Set<String> expectedCodes() {
    return expectedCodes;
  }

  /**
   * The codes that count as the expected refusal for a node of this style: a launcher-scheme proof
   * replayed onto another job fails its signature (the {@code pf|} message names the job).
   */
  Set<String> expectedCodes(SimNode.Style style) {
    if (this == REPLAYED_PROOF && style == SimNode.Style.LAUNCHER) {
      return Set.of("bad_signature", "work_units_mismatch");
    }
    return expectedCodes;
  }

  /** True if the server's answer is the refusal this fault expects from a node of this style. */
  boolean refusedAsExpected(int status, String code, SimNode.Style style) {
    return status == expectedStatus && expectedCodes(style).contains(code);
  }
}
