package io.kascompute.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.PackageVersion;
import org.junit.jupiter.api.Test;

/**
 * The build runs the core's tests twice: on the pinned jackson-core and on the oldest one a host
 * may bring ({@code jackson.min.version}); this checks each run got the jackson-core it names.
 */
class JacksonVersionTest {
  @Test
  void testsRunOnTheJacksonCoreTheBuildNames() {
    String expected = System.getProperty("kascompute.expected.jackson-core");
    assumeTrue(expected != null, "only Maven names the expected version");
    assertThat(PackageVersion.VERSION.toString()).isEqualTo(expected);
  }
}
