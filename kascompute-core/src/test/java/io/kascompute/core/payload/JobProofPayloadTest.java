package io.kascompute.core.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.CanonicalJson;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.JobProofSubmission;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JobProofPayloadTest {
  private static final JobProofPayload EXAMPLE = new JobProofPayload(
      NodeId.of("kc_node_01"), Optional.empty(), 123, 42, "sim", 150, "launcher-miner/0.2.0",
      1710000000L);

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static JsonObject parse(String json) {
    return (JsonObject) StrictJsonReader.withDefaults().read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void workedExampleHasTheV1BytesAndDigest() {
    assertThat(text(EXAMPLE.canonicalBytes())).isEqualTo(
        "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,\"workload_mode\":\"sim\","
            + "\"elapsed_ms\":150,\"client_version\":\"launcher-miner/0.2.0\",\"ts\":1710000000}");
    assertThat(EXAMPLE.digest().hex())
        .isEqualTo("ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a");
  }

  @Test
  void minerIdIsTheSecondKeyWhenPresent() {
    JobProofPayload p = new JobProofPayload(NodeId.of("n"), Optional.of("m1"), 1, 2, "sim", 3,
        "v", 4);
    assertThat(text(p.canonicalBytes())).isEqualTo(
        "{\"node_id\":\"n\",\"miner_id\":\"m1\",\"job_id\":1,\"work_units\":2,"
            + "\"workload_mode\":\"sim\",\"elapsed_ms\":3,\"client_version\":\"v\",\"ts\":4}");
  }

  @Test
  void escapesStringsMinimally() {
    JobProofPayload p = new JobProofPayload(NodeId.of("n\u00e9\uD83D\uDE00"),
        Optional.of("q\"b\\s/"), 1, 2, "a\u0000\u001f\u007f", 3, "t\tn\nr\rb\bf\f", 4);
    assertThat(text(p.canonicalBytes())).isEqualTo(
        "{\"node_id\":\"n\u00e9\uD83D\uDE00\",\"miner_id\":\"q\\\"b\\\\s/\",\"job_id\":1,"
            + "\"work_units\":2,\"workload_mode\":\"a\\u0000\\u001f\u007f\",\"elapsed_ms\":3,"
            + "\"client_version\":\"t\\tn\\nr\\rb\\bf\\f\",\"ts\":4}");
    assertThat(p.canonicalBytes()).contains(0xc3 - 256, 0xa9 - 256); // raw UTF-8 for U+00E9
  }

  @Test
  void refusesLoneSurrogates() {
    JobProofPayload p = new JobProofPayload(NodeId.of("n"), Optional.empty(), 1, 2, "\uDC00", 3,
        "v", 4);
    assertThatThrownBy(p::canonicalBytes)
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UTF8));
  }

  @Test
  void unsignedMaximumRoundTrips() {
    String max = "18446744073709551615";
    JsonObject body = parse("{\"node_id\":\"n\",\"job_id\":" + max + ",\"work_units\":" + max
        + ",\"elapsed_ms\":" + max + ",\"ts\":" + max + ",\"signature\":\"00\"}");
    JobProofPayload p = JobProofSubmission.fromJson(body).digestPayload().orElseThrow();
    assertThat(p.jobId()).isEqualTo(-1L);
    assertThat(text(p.canonicalBytes())).isEqualTo("{\"node_id\":\"n\",\"job_id\":" + max
        + ",\"work_units\":" + max + ",\"workload_mode\":\"sim\",\"elapsed_ms\":" + max
        + ",\"client_version\":\"unknown\",\"ts\":" + max + "}");
  }

  @Test
  void acceptsAliasesAndIgnoresUnknownFields() {
    JsonObject body = parse("{\"extra\":{\"x\":[1]},\"node_id\":\"kc_node_01\",\"job_id\":123,"
        + "\"work_units\":42,\"workload_mode\":\"sim\",\"elapsed_ms\":150,"
        + "\"client_version\":\"launcher-miner/0.2.0\",\"timestamp_unix\":1710000000,"
        + "\"proof_hash\":\"ab\",\"signature_hex\":\"cd\",\"public_key_hex\":\"ef\"}");
    JobProofSubmission s = JobProofSubmission.fromJson(body);
    assertThat(s.digestPayload()).contains(EXAMPLE);
    assertThat(s.signature()).isEqualTo("cd");
    assertThat(s.proofHash()).contains("ab");
    assertThat(s.publicKeyHex()).contains("ef");
  }

  @Test
  void aNameAndItsAliasTogetherAreRefused() {
    JsonObject body = parse("{\"node_id\":\"n\",\"job_id\":1,\"work_units\":1,"
        + "\"timestamp_unix\":1,\"ts\":1,\"signature_hex\":\"cd\"}");
    assertThatThrownBy(() -> JobProofSubmission.fromJson(body))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_FIELD));
  }

  @Test
  void aLauncherRecordNeedsNoElapsedTimeAndHasNoDigestPayload() {
    JsonObject body = parse("{\"node_id\":\"kc_node_01\",\"job_id\":7,\"work_units\":50000,"
        + "\"timestamp_unix\":1710000000,\"signature_hex\":\"cd\",\"public_key_hex\":\"ef\"}");
    JobProofSubmission s = JobProofSubmission.fromJson(body);
    assertThat(s.digestPayload()).isEmpty();
    assertThat(text(s.launcherMessage().message()))
        .isEqualTo("pf|kc_node_01|7|50000|1710000000");
  }

  @Test
  void refusesNegativeAndFractionalIntegers() {
    for (String bad : new String[] {"-1", "1.5", "1e3", "18446744073709551616"}) {
      JsonObject body = parse("{\"node_id\":\"n\",\"job_id\":1,\"work_units\":" + bad
          + ",\"elapsed_ms\":1,\"ts\":1,\"signature\":\"00\"}");
      assertThatThrownBy(() -> JobProofSubmission.fromJson(body))
          .as(bad)
          .isInstanceOfSatisfying(KasComputeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE));
    }
  }

  @Property(tries = 500)
  void payloadBytesRoundTripThroughTheRecords(@ForAll("payloads") JobProofPayload p) {
    JobProofSubmission s = JobProofSubmission.digest(p, "00", "11", "22");
    JsonObject body = (JsonObject) StrictJsonReader.withDefaults().read(s.toJsonBytes());
    JobProofSubmission back = JobProofSubmission.fromJson(body);
    assertThat(back).isEqualTo(s);
    assertThat(back.digestPayload().orElseThrow().canonicalBytes()).isEqualTo(p.canonicalBytes());
    // The payload bytes are themselves JSON that reads back to the same payload.
    String payloadOnly = text(p.canonicalBytes());
    JsonObject withSignature = (JsonObject) StrictJsonReader.withDefaults().read(
        (payloadOnly.substring(0, payloadOnly.length() - 1) + ",\"signature\":\"00\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(JobProofSubmission.fromJson(withSignature).digestPayload()).contains(p);
  }

  @Provide
  Arbitrary<JobProofPayload> payloads() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)
        .filter(JobProofPayloadTest::wellFormed);
    Arbitrary<String> id = Arbitraries.strings().all().ofMaxLength(12)
        .filter(JobProofPayloadTest::wellFormed);
    Arbitrary<Long> u64 = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L,
        Long.MAX_VALUE, Long.MIN_VALUE));
    return Combinators.combine(id, text.optional(), u64, u64, text, u64, text, u64)
        .as((node, miner, job, units, mode, elapsed, version, ts) -> new JobProofPayload(
            NodeId.of(node), miner, job, units, mode, elapsed, version, ts));
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void canonicalizingThePayloadSortsItsKeys() {
    assertThat(text(CanonicalJson.canonicalize(EXAMPLE.canonicalBytes()))).isEqualTo(
        "{\"client_version\":\"launcher-miner/0.2.0\",\"elapsed_ms\":150,\"job_id\":123,"
            + "\"node_id\":\"kc_node_01\",\"ts\":1710000000,\"work_units\":42,"
            + "\"workload_mode\":\"sim\"}");
  }
}
