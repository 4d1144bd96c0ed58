package io.kascompute.testkit.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The six RFC 8785 reference cases, byte for byte. */
class JcsVectorsTest {
  private static final String DIR = "/io/kascompute/testkit/vectors/jcs/";

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = JcsVectorsTest.class.getResourceAsStream(DIR + path)) {
      return Objects.requireNonNull(in, path).readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"arrays", "french", "structures", "unicode", "values", "weird"})
  void canonicalOutputMatchesByteForByte(String name) throws IOException {
    byte[] expected = resource("output/" + name + ".json");
    byte[] hex = HexFormat.of().parseHex(
        new String(resource("outhex/" + name + ".txt"), StandardCharsets.US_ASCII)
            .replaceAll("\\s+", ""));
    assertThat(hex).as("outhex agrees with output").isEqualTo(expected);

    assertThat(CanonicalJson.canonicalize(resource("input/" + name + ".json"))).isEqualTo(expected);
  }
}
