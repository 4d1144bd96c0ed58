package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.HexCodec;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pins the SDK's Ed25519 semantics to Wycheproof, RFC 8032 section 7.1 and speccheck. */
class Ed25519VectorsTest {
  private static final String DIR = "/io/kascompute/testkit/vectors/ed25519/";

  static JsonValue load(String name) {
    try (InputStream in = Ed25519VectorsTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as(name).isNotNull();
      return StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxBytes(1 << 22))
          .read(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String str(JsonValue o, String key) {
    return ((JsonString) ((JsonObject) o).members().get(key)).value();
  }

  static JsonValue get(JsonValue o, String key) {
    return ((JsonObject) o).members().get(key);
  }

  static byte[] hex(String s) {
    return HexCodec.decode("vector", s);
  }

  /** The pinned verdict on one vector: accepted, or the code it is refused with. */
  static Optional<ErrorCode> refusal(byte[] publicKey, byte[] message, byte[] signature) {
    try {
      Signatures.verifyRaw(publicKey, message, signature);
      return Optional.empty();
    } catch (KasComputeException e) {
      return Optional.of(e.code());
    }
  }

  @Test
  void wycheproofAll151AsExpected() {
    JsonValue file = load("wycheproof_ed25519_test.json");
    int run = 0;
    int valid = 0;
    for (JsonValue group : ((JsonArray) get(file, "testGroups")).elements()) {
      byte[] pk = hex(str(get(group, "publicKey"), "pk"));
      for (JsonValue t : ((JsonArray) get(group, "tests")).elements()) {
        Optional<ErrorCode> v = refusal(pk, hex(str(t, "msg")), hex(str(t, "sig")));
        boolean expected = str(t, "result").equals("valid");
        assertThat(v.isEmpty())
            .as("tcId %s (%s): %s", get(t, "tcId"), str(t, "comment"), v)
            .isEqualTo(expected);
        run++;
        valid += expected ? 1 : 0;
      }
    }
    assertThat(run).isEqualTo(151);
    assertThat(valid).isEqualTo(88);
  }

  @Test
  void rfc8032Section71SignsExactlyAndVerifies() {
    JsonArray tests = (JsonArray) get(load("rfc8032.json"), "tests");
    assertThat(tests.elements()).hasSize(5);
    for (JsonValue t : tests.elements()) {
      NodeKeyPair keys = NodeKeyPair.fromSeedHex(str(t, "secretKey"));
      assertThat(keys.publicKey().hex()).as(str(t, "name")).isEqualTo(str(t, "publicKey"));
      byte[] message = hex(str(t, "message"));
      byte[] sig = Signatures.signRaw(keys, message);
      assertThat(HexCodec.encode(sig)).as(str(t, "name")).isEqualTo(str(t, "signature"));
      byte[] pk = keys.publicKey().toByteArray();
      assertThat(refusal(pk, message, sig)).isEmpty();
      sig[63] ^= 0x01;
      assertThat(refusal(pk, message, sig)).contains(ErrorCode.BAD_SIGNATURE);
    }
  }

  @Test
  void speccheckPatternIsPinned() {
    JsonArray cases = (JsonArray) load("speccheck_cases.json");
    StringBuilder pattern = new StringBuilder();
    for (JsonValue c : cases.elements()) {
      Optional<ErrorCode> v = refusal(
          hex(str(c, "pub_key")), hex(str(c, "message")), hex(str(c, "signature")));
      pattern.append(v.isEmpty() ? 'V' : 'X');
    }
    assertThat(pattern.toString()).isEqualTo("XXVVVVXXXXXX");
  }
}
