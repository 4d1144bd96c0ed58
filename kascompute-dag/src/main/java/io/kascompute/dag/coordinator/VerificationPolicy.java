package io.kascompute.dag.coordinator;

/** How strictly a {@link Coordinator} treats missing or failing signatures. */
public enum VerificationPolicy {
  /**
   * The default: every job and task proof must carry a signature that verifies; heartbeats are
   * checked when signed. Anything else is refused.
   */
  STRICT,
  /**
   * Deployed V1 behaviour for old clients: a job proof whose signature is missing or does not
   * verify is accepted but answered with {@code signature_verified:false}, and a task proof
   * without a signature is accepted unverified. A task proof or heartbeat that carries a signature
   * that fails is still refused, and a proof whose key differs from the node's registered key is
   * still refused.
   */
  V1_COMPAT
}
