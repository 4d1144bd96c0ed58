package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the SDK's Ed25519 semantics to Wycheproof, RFC 8032 section 7.1 and speccheck, and both
 * proof schemes to their vectors (messages, payload bytes and signatures computed with OpenSSL).
 */
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

  static JsonValue launcherVectors(String name) {
    try (InputStream in = Ed25519VectorsTest.class.getResourceAsStream(
        "/io/kascompute/testkit/vectors/launcher/" + name)) {
      assertThat(in).as(name).isNotNull();
      return StrictJsonReader.withDefaults().read(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long u64(JsonValue o, String key) {
    return ((JsonNumber) get(o, key)).unsignedLongValue(key);
  }

  static NodeKeyPair key(JsonValue file, JsonValue vector) {
    for (JsonValue k : ((JsonArray) get(file, "keys")).elements()) {
      if (str(k, "name").equals(str(vector, "key"))) {
        NodeKeyPair keys = NodeKeyPair.fromSeedHex(str(k, "seed"));
        assertThat(keys.publicKey().hex()).isEqualTo(str(k, "public_key"));
        return keys;
      }
    }
    throw new AssertionError("no key " + str(vector, "key"));
  }

  @Test
  void launcherSchemeVectorsArePinned() {
    JsonValue file = launcherVectors("launcher_scheme.json");
    ProofVerifier verifier = ProofVerifier.create();
    JsonArray proofs = (JsonArray) get(file, "job_proofs");
    assertThat(proofs.elements()).hasSizeGreaterThanOrEqualTo(9);
    for (JsonValue v : proofs.elements()) {
      NodeKeyPair keys = key(file, v);
      LauncherJobProof message = new LauncherJobProof(NodeId.of(str(v, "node_id")),
          u64(v, "job_id"), u64(v, "work_units"), u64(v, "ts"));
      assertThat(HexCodec.encode(message.message())).as(str(v, "note"))
          .isEqualTo(str(v, "message_hex"));
      assertThat(ProofSigner.of(keys).signLauncherJobProof(message)).as(str(v, "note"))
          .isEqualTo(str(v, "signature"));
      byte[] sig = hex(str(v, "signature"));
      assertThat(refusal(keys.publicKey().toByteArray(), message.message(), sig)).isEmpty();
      byte[] record = str(v, "record").getBytes(StandardCharsets.UTF_8);
      assertThat(verifier.verifyJobProofJson(record)).as(str(v, "note"))
          .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
      sig[5] ^= 0x20;
      assertThat(refusal(keys.publicKey().toByteArray(), message.message(), sig))
          .contains(ErrorCode.BAD_SIGNATURE);
    }
    for (JsonValue v : ((JsonArray) get(file, "heartbeats")).elements()) {
      NodeKeyPair keys = key(file, v);
      LauncherHeartbeat message = new LauncherHeartbeat(NodeId.of(str(v, "node_id")),
          str(v, "compute_profile"), u64(v, "timestamp_unix"));
      assertThat(HexCodec.encode(message.message())).as(str(v, "note"))
          .isEqualTo(str(v, "message_hex"));
      String sig = ProofSigner.of(keys).signLauncherHeartbeat(message);
      assertThat(sig).as(str(v, "note")).isEqualTo(str(v, "signature"));
      HeartbeatPayload sdk = new HeartbeatPayload(message.nodeId(), keys.publicKey().hex(),
          List.of("node"), "x", message.timestampUnix());
      assertThat(verifier.verifyHeartbeat(sdk, message, sig, keys.publicKey()))
          .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    }
  }

  @Test
  void digestSchemeVectorsArePinned() {
    JsonValue file = launcherVectors("digest_scheme.json");
    ProofVerifier verifier = ProofVerifier.create();
    JsonArray proofs = (JsonArray) get(file, "proofs");
    assertThat(proofs.elements()).hasSizeGreaterThanOrEqualTo(6);
    boolean workedExample = false;
    boolean withMiner = false;
    for (JsonValue v : proofs.elements()) {
      NodeKeyPair keys = key(file, v);
      JsonValue f = get(v, "fields");
      Optional<String> miner = Optional.ofNullable((JsonString) get(f, "miner_id"))
          .map(JsonString::value);
      JobProofPayload payload = new JobProofPayload(NodeId.of(str(f, "node_id")), miner,
          u64(f, "job_id"), u64(f, "work_units"), str(f, "workload_mode"), u64(f, "elapsed_ms"),
          str(f, "client_version"), u64(f, "ts"));
      assertThat(HexCodec.encode(payload.canonicalBytes())).as(str(v, "note"))
          .isEqualTo(str(v, "payload_hex"));
      assertThat(payload.digest().hex()).isEqualTo(str(v, "proof_hash"));
      JobProofSubmission signed = ProofSigner.of(keys).signJobProof(payload);
      assertThat(signed.signature()).as(str(v, "note")).isEqualTo(str(v, "signature"));
      assertThat(verifier.verifyJobProofJson(str(v, "record").getBytes(StandardCharsets.UTF_8)))
          .as(str(v, "note")).isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
      workedExample |= str(v, "proof_hash")
          .equals("ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a");
      withMiner |= miner.isPresent();
    }
    assertThat(workedExample).as("the worked example of the wire facts").isTrue();
    assertThat(withMiner).isTrue();
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
