package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The build runs the Ed25519 tests twice: on the pinned BouncyCastle and on the oldest one a host
 * may bring ({@code bouncycastle.min.version}); this checks each run got the BouncyCastle it names.
 */
class BouncyCastleVersionTest {
  @Test
  void testsRunOnTheBouncyCastleTheBuildNames() {
    String expected = System.getProperty("kascompute.expected.bcprov");
    assumeTrue(expected != null, "only Maven names the expected version");
    assertThat(new BouncyCastleProvider().getVersionStr()).isEqualTo(expected);
  }
}
