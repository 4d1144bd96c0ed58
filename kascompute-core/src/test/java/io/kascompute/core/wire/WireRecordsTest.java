package io.kascompute.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobReceiptPayload;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.StrictJsonReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WireRecordsTest {

  private static JsonObject obj(String json) {
    return (JsonObject) StrictJsonReader.withDefaults().read(json);
  }

  private static String text(WireResponse r) {
    return new String(r.toJson(), StandardCharsets.UTF_8);
  }

  private static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (KasComputeException e) {
      return e.code();
    }
    throw new AssertionError("no exception");
  }

  @Test
  void heartbeatDefaultsAliasesAndUnknownFields() {
    HeartbeatRequest h = HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"kc_n1\",\"public_key_hex\":\"ab\",\"extra\":{\"x\":[1]},\"ts\":7,\"signature\":\"cd\"}"));
    assertThat(h.roles()).containsExactly("node");
    assertThat(h.clientVersion()).isEqualTo("unknown");
    assertThat(h.timestampUnix()).hasValue(7);
    assertThat(h.signatureHex()).contains("cd");
    assertThat(h.isMiner()).isFalse();
    assertThat(h.computeProfile()).isEmpty();

    HeartbeatRequest full = HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"kc_n1\",\"public_key_hex\":\"ab\",\"roles\":[\"node\",\"miner\"],"
            + "\"compute_profile\":{\"cpu\":8},\"client_version\":\"m/1\",\"latitude\":47.5,"
            + "\"longitude\":-122.25,\"country\":\"US\",\"timestamp_unix\":1710000000,\"signature_hex\":\"ef\"}"));
    assertThat(full.isMiner()).isTrue();
    assertThat(full.latitude()).hasValue(47.5);
    assertThat(full.longitude()).hasValue(-122.25);
    assertThat(full.country()).contains("US");
    assertThat(full.computeProfile()).isPresent();
    assertThat(full.payload().canonicalBytes()).asString(StandardCharsets.UTF_8).isEqualTo(
        "{\"node_id\":\"kc_n1\",\"public_key_hex\":\"ab\",\"roles\":[\"node\",\"miner\"],"
            + "\"client_version\":\"m/1\",\"timestamp_unix\":1710000000}");
  }

  @Test
  void heartbeatBadTypes() {
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj("{\"public_key_hex\":\"ab\"}"))))
        .isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj("{\"node_id\":1,\"public_key_hex\":\"ab\"}"))))
        .isEqualTo(ErrorCode.WRONG_TYPE);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(
        obj("{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"roles\":\"miner\"}"))))
        .isEqualTo(ErrorCode.WRONG_TYPE);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(
        obj("{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"latitude\":\"north\"}"))))
        .isEqualTo(ErrorCode.WRONG_TYPE);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(
        obj("{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"timestamp_unix\":-1}"))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"timestamp_unix\":1,\"ts\":1}"))))
        .isEqualTo(ErrorCode.DUPLICATE_FIELD);
    HeartbeatRequest unsigned = HeartbeatRequest.fromJson(obj("{\"node_id\":\"n\",\"public_key_hex\":\"ab\"}"));
    assertThat(codeOf(unsigned::payload)).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void nodeAndRenewRequests() {
    assertThat(NodeRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"junk\":null}")).nodeId())
        .isEqualTo(NodeId.of("kc_a"));
    assertThat(codeOf(() -> NodeRequest.fromJson(obj("{}")))).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(codeOf(() -> NodeRequest.fromJson(obj("{\"node_id\":[]}")))).isEqualTo(ErrorCode.WRONG_TYPE);
    RenewRequest r = RenewRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"lease_epoch\":18446744073709551615}"));
    assertThat(r.leaseEpoch()).hasValue(-1L);
    assertThat(RenewRequest.fromJson(obj("{\"node_id\":\"kc_a\"}")).leaseEpoch()).isEmpty();
    assertThat(codeOf(() -> RenewRequest.fromJson(obj("{\"node_id\":\"a\",\"lease_epoch\":1.5}"))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(codeOf(() -> RenewRequest.fromJson(obj("{\"node_id\":\"a\",\"lease_epoch\":\"1\"}"))))
        .isEqualTo(ErrorCode.WRONG_TYPE);
  }

  @Test
  void taskProofRequestDefaultsAliasesAndPayload() {
    TaskProofRequest r = TaskProofRequest.fromJson(obj(
        "{\"node_id\":\"kc_a\",\"work_units\":5,\"elapsed_ms\":9,\"timestamp_unix\":100,"
            + "\"signature_hex\":\"aa\",\"public_key_hex\":\"bb\",\"proof_hash\":\"cc\",\"lease_epoch\":3,\"x\":1}"));
    assertThat(r.clientVersion()).isEqualTo("unknown");
    assertThat(r.ts()).isEqualTo(100);
    assertThat(r.signature()).contains("aa");
    assertThat(r.publicKeyHex()).contains("bb");
    assertThat(r.proofHash()).contains("cc");
    assertThat(r.leaseEpoch()).hasValue(3);
    Sha256Digest h = Sha256Digest.hash(new byte[] {1});
    TaskProofPayload p = r.payload(RunId.of("run-x-1"), TaskId.of("t1"), h);
    assertThat(p.canonicalBytes()).asString(StandardCharsets.UTF_8).isEqualTo(
        "{\"node_id\":\"kc_a\",\"run_id\":\"run-x-1\",\"task_id\":\"t1\",\"task_hash\":\"" + h.hex()
            + "\",\"work_units\":5,\"elapsed_ms\":9,\"client_version\":\"unknown\",\"ts\":100}");

    TaskProofRequest v1 = TaskProofRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"work_units\":5,\"elapsed_ms\":9}"));
    assertThat(v1.ts()).isZero();
    assertThat(v1.signature()).isEmpty();
    assertThat(codeOf(() -> TaskProofRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"elapsed_ms\":9}"))))
        .isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(codeOf(() -> TaskProofRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"work_units\":-5,\"elapsed_ms\":9}"))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
  }

  @Test
  void jobProofRequestKeepsMissingCryptoFieldsOptional() {
    String base = "\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,\"elapsed_ms\":150,"
        + "\"client_version\":\"launcher-miner/0.2.0\",\"timestamp_unix\":1710000000";
    JobProofRequest bare = JobProofRequest.fromJson(obj("{" + base + "}"), OptionalLong.empty());
    assertThat(bare.submission()).isEmpty();
    assertThat(bare.payload().digest().hex())
        .isEqualTo("ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a");
    JobProofRequest full = JobProofRequest.fromJson(obj("{" + base
        + ",\"proof_hash\":\"h\",\"signature_hex\":\"s\",\"public_key_hex\":\"k\",\"lease_epoch\":2}"),
        OptionalLong.of(123));
    assertThat(full.submission()).isPresent();
    assertThat(full.submission().get().signature()).isEqualTo("s");
    assertThat(full.leaseEpoch()).hasValue(2);
    assertThat(codeOf(() -> JobProofRequest.fromJson(obj("{" + base + "}"), OptionalLong.of(124))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
  }

  @Test
  void responsesWriteSnakeCaseAndUnsigned() {
    assertThat(text(new HeartbeatResponse())).isEqualTo("{\"accepted\":true}");
    assertThat(text(new JobNextResponse(Optional.empty()))).isEqualTo("{\"job\":null}");
    assertThat(text(new JobNextResponse(Optional.of(new JobLease(-1L, 42, 1710000060, 1)))))
        .isEqualTo("{\"job\":{\"id\":18446744073709551615,\"work_units\":42,"
            + "\"lease_expires_unix\":1710000060,\"lease_epoch\":1}}");
    assertThat(text(new TaskNextResponse(Optional.of(new TaskLease("r", "d", "t\"1", "h", 5, "sim", 90, 2)))))
        .isEqualTo("{\"task\":{\"run_id\":\"r\",\"dag_id\":\"d\",\"task_id\":\"t\\\"1\",\"task_hash\":\"h\","
            + "\"work_units\":5,\"task_type\":\"sim\",\"lease_expires_unix\":90,\"lease_epoch\":2}}");
    assertThat(text(new TaskNextResponse(Optional.empty()))).isEqualTo("{\"task\":null}");
    assertThat(text(new DagSubmitResponse("d", "d", 3)))
        .isEqualTo("{\"dag_id\":\"d\",\"dag_root_hash\":\"d\",\"tasks_total\":3}");
    assertThat(text(new RunCreated("run-d-1"))).isEqualTo("{\"run_id\":\"run-d-1\"}");
    assertThat(text(new RenewResponse("r", "t", 190, 4)))
        .isEqualTo("{\"run_id\":\"r\",\"task_id\":\"t\",\"lease_expires_unix\":190,\"lease_epoch\":4}");
    assertThat(text(new TaskProofAccepted("r", "t", List.of("b", "c"), "h", false, false)))
        .isEqualTo("{\"status\":\"accepted\",\"run_id\":\"r\",\"task_id\":\"t\",\"unlocked_ready\":2,"
            + "\"unlocked_task_ids\":[\"b\",\"c\"],\"proof_hash\":\"h\",\"signature_verified\":false,\"repeat\":false}");
    assertThat(text(new JobProofReceipt("h", true, 5, Optional.empty(), Optional.empty())))
        .isEqualTo("{\"status\":\"accepted\",\"receipt\":\"h\",\"signature_verified\":true,\"accepted_unix\":5}");
    assertThat(text(new JobProofReceipt("h", false, 5, Optional.of("k"), Optional.of("s"))))
        .isEqualTo("{\"status\":\"accepted\",\"receipt\":\"h\",\"signature_verified\":false,\"accepted_unix\":5,"
            + "\"coordinator_public_key_hex\":\"k\",\"coordinator_signature\":\"s\"}");
    assertThatThrownBy(() -> new JobProofReceipt("h", true, 5, Optional.of("k"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(text(new RunStatusResponse("r", "d", "d", "n", 10, 4, 1, 1, 1, 1, 0, "running")))
        .isEqualTo("{\"run_id\":\"r\",\"dag_id\":\"d\",\"dag_root_hash\":\"d\",\"name\":\"n\",\"created_unix\":10,"
            + "\"tasks_total\":4,\"tasks_ready\":1,\"tasks_running\":1,\"tasks_completed\":1,\"tasks_failed\":0,"
            + "\"tasks_pending\":1,\"state\":\"running\"}");
  }

  @Test
  void metricsResponseWritesDecimalsWithFraction() {
    MetricsResponse m = new MetricsResponse(2, 1, 3, 0.6, 150.0, 4, 300, 90, 2, 1, 100, 1.0 / 3,
        120, 200, 210, Map.of("stale_lease", 2L, "bad_signature", 1L));
    assertThat(text(m)).isEqualTo("{\"active_nodes_90s\":2,\"active_miners_90s\":1,\"jobs_completed_window\":3,"
        + "\"jobs_per_min\":0.6,\"avg_job_ms\":150.0,\"proofs_window\":4,\"window_seconds\":300,"
        + "\"activity_seconds\":90,\"nodes_online\":2,\"tasks_completed_window\":1,\"work_units_window\":100,"
        + "\"work_units_per_sec\":0.333,\"elapsed_ms_p50\":120,\"elapsed_ms_p95\":200,\"elapsed_ms_p99\":210,"
        + "\"rejections_window\":{\"bad_signature\":1,\"stale_lease\":2}}");
    assertThat(m.rejectionsTotalWindow()).isEqualTo(3);
    assertThat(MetricsResponse.decimal(0)).isEqualTo("0.0");
    assertThat(MetricsResponse.decimal(12)).isEqualTo("12.0");
    assertThatThrownBy(() -> MetricsResponse.decimal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void envelopeOkAndErrorForms() {
    assertThat(new String(Envelope.ok(new RunCreated("r"), 1710000000), StandardCharsets.UTF_8))
        .isEqualTo("{\"status\":\"ok\",\"data\":{\"run_id\":\"r\"},\"error\":null,\"ts\":1710000000}");
    assertThat(new String(Envelope.error(ErrorCode.STALE_LEASE, "epoch 1 is not 2", 5), StandardCharsets.UTF_8))
        .isEqualTo("{\"status\":\"error\",\"data\":null,\"error\":{\"code\":\"stale_lease\","
            + "\"message\":\"epoch 1 is not 2\"},\"ts\":5}");
    // every envelope is well-formed JSON, even with a lone surrogate in the message
    JsonObject e = obj(new String(Envelope.error(ErrorCode.INTERNAL, "bad \ud800 \"q\"\n", 0), StandardCharsets.UTF_8));
    JsonObject error = (JsonObject) e.members().get("error");
    assertThat(((JsonString) error.members().get("message")).value()).isEqualTo("bad \ufffd \"q\"\n");
  }

  @Test
  void receiptPayloadBytes() {
    JobReceiptPayload r = new JobReceiptPayload(NodeId.of("kc_node_01"), 123, 42,
        Sha256Digest.fromHex("ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a"), true, 1710000005);
    assertThat(r.canonicalBytes()).asString(StandardCharsets.UTF_8).isEqualTo(
        "{\"receipt_version\":\"kascompute-job-receipt-1\",\"node_id\":\"kc_node_01\",\"job_id\":123,"
            + "\"work_units\":42,\"proof_hash\":\"ba3dcf439a8be2cb1936b97e753bfb23fd8f6356d4ddd44f074353e54b16775a\","
            + "\"signature_verified\":true,\"accepted_unix\":1710000005}");
    assertThat(r.canonicalBytes()).hasSize(231);
    assertThat(r.digest().hex()).isEqualTo("9ebc04d0d1fb59e683330075abe1845f29e6c8278f706e8e2b78784536ceda77");
  }
}
