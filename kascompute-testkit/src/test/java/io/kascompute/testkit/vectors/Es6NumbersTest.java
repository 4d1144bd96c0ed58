package io.kascompute.testkit.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The ES6 number serialization test of the RFC 8785 reference repository: the first 1000 lines
 * from the vector file, and the first 1,000,000 lines regenerated in memory and checked against
 * the upstream SHA-256 of that prefix.
 */
class Es6NumbersTest {
  private static final String FILE = "/io/kascompute/testkit/vectors/jcs/es6numbers_first1000.txt";
  private static final int FIXED_PATTERNS = 168;

  private static byte[] vectorFile() throws IOException {
    try (InputStream in = Es6NumbersTest.class.getResourceAsStream(FILE)) {
      return Objects.requireNonNull(in, FILE).readAllBytes();
    }
  }

  @Test
  void everyLineOfTheFirstThousand() throws IOException {
    String[] lines = new String(vectorFile(), StandardCharsets.US_ASCII).split("\n");
    assertThat(lines).hasSize(1000);
    for (String line : lines) {
      int comma = line.indexOf(',');
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, comma), 16));
      assertThat(CanonicalJson.formatNumber(d)).as(line).isEqualTo(line.substring(comma + 1));
    }
  }

  @Test
  void regeneratedPrefixesMatchTheUpstreamHashes() throws Exception {
    // The generator starts with 168 fixed bit patterns; they are the first 168 lines of the file.
    String[] lines = new String(vectorFile(), StandardCharsets.US_ASCII).split("\n");
    List<Long> fixed = new ArrayList<>();
    for (int i = 0; i < FIXED_PATTERNS; i++) {
      fixed.add(Long.parseUnsignedLong(lines[i].substring(0, lines[i].indexOf(',')), 16));
    }
    assertThat(lines[FIXED_PATTERNS]).startsWith("10000000000000,");

    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Generator gen = new Generator(fixed);
    StringBuilder line = new StringBuilder(48);
    long bytes = 0;
    for (int n = 1; n <= 1_000_000; n++) {
      long bits = gen.next();
      line.setLength(0);
      line.append(Long.toHexString(bits)).append(',')
          .append(CanonicalJson.formatNumber(Double.longBitsToDouble(bits))).append('\n');
      byte[] b = line.toString().getBytes(StandardCharsets.US_ASCII);
      sha.update(b);
      bytes += b.length;
      switch (n) {
        case 1000 -> check(sha, bytes, 37_967,
            "be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687");
        case 10_000 -> check(sha, bytes, 399_022,
            "b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892");
        case 100_000 -> check(sha, bytes, 4_031_728,
            "22776e6d4b49fa294a0d0f349268e5c28808fe7e0cb2bcbe28f63894e494d4c7");
        case 1_000_000 -> check(sha, bytes, 40_357_417,
            "49415fee2c56c77864931bd3624faad425c3c577d6d74e89a83bc725506dad16");
        default -> { }
      }
    }
  }

  private static void check(MessageDigest sha, long bytes, long expectedBytes, String expectedHash)
      throws CloneNotSupportedException {
    MessageDigest copy = (MessageDigest) sha.clone();
    assertThat(bytes).isEqualTo(expectedBytes);
    assertThat(HexFormat.of().formatHex(copy.digest())).isEqualTo(expectedHash);
  }

  /** The upstream generator: fixed patterns, 2000 smallest normals, then a SHA-256 chain. */
  private static final class Generator {
    private final List<Long> fixed;
    private final MessageDigest chain;
    private int index;
    private byte[] state = new byte[32];
    private final long[] pending = new long[4];
    private int pendingPos = 4;

    Generator(List<Long> fixed) throws NoSuchAlgorithmException {
      this.fixed = fixed;
      this.chain = MessageDigest.getInstance("SHA-256");
    }

    long next() {
      int i = index++;
      if (i < fixed.size()) {
        return fixed.get(i);
      }
      i -= fixed.size();
      if (i < 2000) {
        return 0x0010000000000000L + i;
      }
      while (true) {
        if (pendingPos == 4) {
          state = chain.digest(state);
          ByteBuffer bb = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
          for (int k = 0; k < 4; k++) {
            pending[k] = bb.getLong();
          }
          pendingPos = 0;
        }
        long bits = pending[pendingPos++];
        double d = Double.longBitsToDouble(bits);
        if (d != 0 && Double.isFinite(d)) {
          return bits;
        }
      }
    }
  }
}
