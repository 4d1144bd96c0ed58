package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The build runs the Ed25519 vectors twice: on the pinned BouncyCastle and on the oldest one a
 * host may bring ({@code bouncycastle.min.version}); this checks each run got the BouncyCastle it
 * names, read from the manifest of the jar that holds BouncyCastle's Ed25519.
 */
class BouncyCastleVersionTest {
  @Test
  void vectorsRunOnTheBouncyCastleTheBuildNames() throws IOException {
    String expected = System.getProperty("kascompute.expected.bcprov");
    assumeTrue(expected != null, "only Maven names the expected version");
    URL ed25519 =
        BouncyCastleVersionTest.class
            .getClassLoader()
            .getResource("org/bouncycastle/math/ec/rfc8032/Ed25519.class");
    assertThat(ed25519).isNotNull();
    JarURLConnection jar = (JarURLConnection) ed25519.openConnection();
    assertThat(jar.getMainAttributes().getValue("Bundle-Version")).isEqualTo(expected);
  }
}
