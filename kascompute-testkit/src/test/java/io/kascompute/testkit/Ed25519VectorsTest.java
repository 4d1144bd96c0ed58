package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

  @Test
  void wycheproofAll151AsExpected() {
    JsonValue file = load("wycheproof_ed25519_test.json");
    int run = 0;
    int valid = 0;
    for (JsonValue group : ((JsonArray) get(file, "testGroups")).elements()) {
      byte[] pk = hex(str(get(group, "publicKey"), "pk"));
      for (JsonValue t : ((JsonArray) get(group, "tests")).elements()) {
        Verdict v = Signatures.verifyRaw(pk, hex(str(t, "msg")), hex(str(t, "sig")));
        boolean expected = str(t, "result").equals("valid");
        assertThat(v instanceof Verdict.Valid)
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
      assertThat(Signatures.verifyRaw(keys.publicKey(), message, sig)).isEqualTo(Verdict.valid());
      sig[63] ^= 0x01;
      assertThat(Signatures.verifyRaw(keys.publicKey(), message, sig))
          .isInstanceOf(Verdict.Invalid.class);
    }
  }

  @Test
  void speccheckPatternIsPinned() {
    JsonArray cases = (JsonArray) load("speccheck_cases.json");
    StringBuilder pattern = new StringBuilder();
    for (JsonValue c : cases.elements()) {
      Verdict v = Signatures.verifyRaw(
          hex(str(c, "pub_key")), hex(str(c, "message")), hex(str(c, "signature")));
      pattern.append(v instanceof Verdict.Valid ? 'V' : 'X');
    }
    assertThat(pattern.toString()).isEqualTo("XXVVVVXXXXXX");
  }
}
