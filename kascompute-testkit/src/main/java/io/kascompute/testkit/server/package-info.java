/**
 * The reference V1 coordinator over HTTP, {@link io.kascompute.testkit.server.ReferenceServer},
 * that tests and {@code kascompute serve} start on a port of their choice.
 */
package io.kascompute.testkit.server;
