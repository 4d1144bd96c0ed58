/**
 * Protocol value types shared by every module: ids, digests, public key bytes, hex, code-point
 * order, and the stable {@link io.kascompute.core.ErrorCode}s with their HTTP statuses.
 */
package io.kascompute.core;
