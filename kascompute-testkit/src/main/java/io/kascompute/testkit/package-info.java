/**
 * The testkit's root: {@link io.kascompute.testkit.FakeClock}, a clock that tests move by hand.
 * The conformance vectors ship as resources under {@code io/kascompute/testkit/vectors/}, each
 * folder with a README naming its origin and licence.
 */
package io.kascompute.testkit;
