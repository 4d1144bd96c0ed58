/**
 * KASCompute testkit: store contract kits, a fake clock, the fleet simulator and the reference
 * HTTP coordinator for host tests; the {@code kascompute} CLI lives here too but is not API.
 */
module io.kascompute.testkit {
  requires transitive io.kascompute.dag;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires info.picocli;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.transport;
  requires com.zaxxer.hikari;
  requires java.logging;
  requires java.net.http;

  exports io.kascompute.testkit;
  exports io.kascompute.testkit.fleet;
  exports io.kascompute.testkit.server;
  exports io.kascompute.testkit.store;

  // JUnit instantiates the kits' @Nested classes reflectively.
  opens io.kascompute.testkit.store to org.junit.platform.commons;
  // The conformance vectors (resources only), for hosts that read them from the module path.
  opens io.kascompute.testkit.vectors.dag;
  opens io.kascompute.testkit.vectors.ed25519;
  opens io.kascompute.testkit.vectors.jcs;
  opens io.kascompute.testkit.vectors.jcs.input;
  opens io.kascompute.testkit.vectors.jcs.outhex;
  opens io.kascompute.testkit.vectors.jcs.output;
  opens io.kascompute.testkit.vectors.launcher;
  opens io.kascompute.testkit.vectors.ledger;
  // picocli reads and sets the commands' @Option and @Parameters fields reflectively.
  opens io.kascompute.testkit.cli to info.picocli;
}
