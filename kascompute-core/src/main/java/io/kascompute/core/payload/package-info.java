/**
 * The exact bytes that are signed: V1 job proof payloads (digest scheme), the public launcher's
 * {@code pf|} and {@code hb|} messages (launcher scheme), the SDK's task proof, heartbeat and
 * receipt payloads.
 */
package io.kascompute.core.payload;
