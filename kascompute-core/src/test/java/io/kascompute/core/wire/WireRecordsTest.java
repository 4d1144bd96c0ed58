package io.kascompute.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.DagId;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.JobReceiptPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Every wire record: exact bytes for examples, strict reading, and round trips both ways. */
class WireRecordsTest {
  private static final Sha256Digest H = Sha256Digest.hash(new byte[] {1});

  private static JsonObject obj(String json) {
    return (JsonObject) StrictJsonReader.withDefaults().read(json);
  }

  private static JsonObject obj(byte[] json) {
    return (JsonObject) StrictJsonReader.withDefaults().read(json);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (KasComputeException e) {
      return e.code();
    }
    throw new AssertionError("no exception");
  }

  private static <T extends WireResponse> void roundTrips(T value, Function<JsonObject, T> read) {
    assertThat(read.apply(obj(value.toJson()))).isEqualTo(value);
  }

  @Test
  void launcherHeartbeatIsReadAsSentAndWrittenBack() {
    String launcher = "{\"node_id\":\"kc_node_01\",\"public_key_hex\":\"ab\","
        + "\"compute_profile\":\"cpu-standard\",\"workload_mode\":\"sim\","
        + "\"timestamp_unix\":1710000000,\"signature_hex\":\"cd\"}";
    HeartbeatRequest h = HeartbeatRequest.fromJson(obj(launcher));
    assertThat(h.roles()).isEmpty();
    assertThat(h.effectiveRoles()).containsExactly("node");
    assertThat(h.effectiveClientVersion()).isEqualTo("unknown");
    assertThat(h.launcherMessage().message())
        .isEqualTo("hb|kc_node_01|cpu-standard|1710000000".getBytes(StandardCharsets.US_ASCII));
    assertThat(text(h.toJson())).isEqualTo(launcher);
    assertThat(HeartbeatRequest.fromJson(obj(h.toJson()))).isEqualTo(h);
  }

  @Test
  void heartbeatAliasesDefaultsAndRefusals() {
    HeartbeatRequest h = HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"kc_n1\",\"public_key_hex\":\"ab\",\"extra\":{\"x\":[1]},\"ts\":7,\"signature\":\"cd\"}"));
    assertThat(h.timestampUnix()).hasValue(7);
    assertThat(h.signatureHex()).contains("cd");
    assertThat(h.isMiner()).isFalse();
    assertThat(h.computeProfile()).isEmpty();
    // a profile that is not a string signs the empty string in the launcher scheme
    HeartbeatRequest object = HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"compute_profile\":{\"cpu\":8},\"ts\":1}"));
    assertThat(text(object.launcherMessage().message())).isEqualTo("hb|n||1");
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj("{\"public_key_hex\":\"ab\"}"))))
        .isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"roles\":\"miner\"}"))))
        .isEqualTo(ErrorCode.WRONG_TYPE);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"timestamp_unix\":-1}"))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"timestamp_unix\":1,\"ts\":1}"))))
        .isEqualTo(ErrorCode.DUPLICATE_FIELD);
    assertThat(codeOf(() -> HeartbeatRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"public_key_hex\":\"ab\",\"signature_hex\":\"a\",\"signature\":\"a\"}"))))
        .isEqualTo(ErrorCode.DUPLICATE_FIELD);
    HeartbeatRequest unsigned = HeartbeatRequest.fromJson(obj("{\"node_id\":\"n\",\"public_key_hex\":\"ab\"}"));
    assertThat(codeOf(unsigned::payload)).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(codeOf(unsigned::launcherMessage)).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void launcherJobProofBodyIsReadAndRebuiltWithV1Defaults() {
    String launcher = "{\"node_id\":\"kc_node_01\",\"work_units\":50000,\"workload_mode\":\"sim\","
        + "\"elapsed_ms\":1234,\"result_hash\":\"00ff\",\"client_version\":\"protocol-v1\","
        + "\"timestamp_unix\":1710000000,\"signature_hex\":\"cd\"}";
    JobProofRequest r = JobProofRequest.fromJson(obj(launcher));
    assertThat(r.jobId()).isEmpty();
    assertThat(r.fromLauncher()).isTrue();
    JobProofSubmission s = r.submission(77, 1, 2).orElseThrow();
    assertThat(s.jobId()).isEqualTo(77);
    assertThat(s.ts()).isEqualTo(1_710_000_000L);
    assertThat(text(s.launcherMessage().message())).isEqualTo("pf|kc_node_01|77|50000|1710000000");
    // V1's defaults enter the digest payload when the client leaves fields out
    JobProofRequest bare = JobProofRequest.fromJson(obj("{\"node_id\":\"n\",\"work_units\":5}"));
    assertThat(bare.submission(9, 100, 3000)).isEmpty();
    assertThat(text(bare.payload(9, 100, 3000).canonicalBytes())).isEqualTo(
        "{\"node_id\":\"n\",\"job_id\":9,\"work_units\":5,\"workload_mode\":\"sim\","
            + "\"elapsed_ms\":3000,\"client_version\":\"unknown\",\"ts\":100}");
    assertThat(JobProofRequest.fromJson(obj(r.toJson()))).isEqualTo(r);
    assertThat(codeOf(() -> JobProofRequest.fromJson(obj(
        "{\"node_id\":\"n\",\"work_units\":5,\"proof_hash\":\"a\",\"proof_hash_hex\":\"a\"}"))))
        .isEqualTo(ErrorCode.DUPLICATE_FIELD);
  }

  @Test
  void taskProofRequestDefaultsAliasesAndPayload() {
    TaskProofRequest r = TaskProofRequest.fromJson(obj(
        "{\"node_id\":\"kc_a\",\"work_units\":5,\"elapsed_ms\":9,\"timestamp_unix\":100,"
            + "\"signature_hex\":\"aa\",\"public_key_hex\":\"bb\",\"proof_hash\":\"cc\",\"lease_epoch\":3,\"x\":1}"));
    assertThat(r.clientVersion()).isEmpty();
    assertThat(r.signatureHex()).contains("aa");
    assertThat(r.proofHash()).contains("cc");
    assertThat(r.leaseEpoch()).hasValue(3);
    TaskProofPayload p = r.payload(RunId.of("run-x-1"), TaskId.of("t1"), H, 55);
    assertThat(text(p.canonicalBytes())).isEqualTo(
        "{\"node_id\":\"kc_a\",\"run_id\":\"run-x-1\",\"task_id\":\"t1\",\"task_hash\":\"" + H.hex()
            + "\",\"work_units\":5,\"elapsed_ms\":9,\"client_version\":\"unknown\",\"ts\":100}");
    TaskProofRequest v1 = TaskProofRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"work_units\":5,\"elapsed_ms\":9}"));
    assertThat(v1.payload(RunId.of("r"), TaskId.of("t"), H, 55).ts()).isEqualTo(55);
    assertThat(TaskProofRequest.fromJson(obj(r.toJson()))).isEqualTo(r);
    assertThat(codeOf(() -> TaskProofRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"elapsed_ms\":9}"))))
        .isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(codeOf(() -> TaskProofRequest.fromJson(obj(
        "{\"node_id\":\"kc_a\",\"work_units\":-5,\"elapsed_ms\":9}"))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
  }

  @Test
  void nodeRenewAndFailRequests() {
    assertThat(NodeRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"junk\":null}")).nodeId())
        .isEqualTo(NodeId.of("kc_a"));
    assertThat(text(new NodeRequest(NodeId.of("a\u0001")).toJson())).isEqualTo("{\"node_id\":\"a\\u0001\"}");
    assertThat(codeOf(() -> NodeRequest.fromJson(obj("{}")))).isEqualTo(ErrorCode.MISSING_FIELD);
    RenewRequest r = RenewRequest.fromJson(obj("{\"node_id\":\"kc_a\",\"lease_epoch\":18446744073709551615}"));
    assertThat(r.leaseEpoch()).hasValue(-1L);
    assertThat(RenewRequest.fromJson(obj(r.toJson()))).isEqualTo(r);
    FailRequest f = new FailRequest(NodeId.of("x"), OptionalLong.empty());
    assertThat(text(f.toJson())).isEqualTo("{\"node_id\":\"x\"}");
    assertThat(codeOf(() -> RenewRequest.fromJson(obj("{\"node_id\":\"a\",\"lease_epoch\":\"1\"}"))))
        .isEqualTo(ErrorCode.WRONG_TYPE);
  }

  @Test
  void responsesWriteV1NamesAndReadBack() {
    assertThat(text(new HeartbeatResponse(true).toJson())).isEqualTo("{\"accepted\":true,\"key_pinned\":true}");
    roundTrips(new HeartbeatResponse(false), HeartbeatResponse::fromJson);
    JobNextResponse none = new JobNextResponse(Optional.empty());
    assertThat(text(none.toJson())).isEqualTo("{\"job\":null}");
    roundTrips(none, JobNextResponse::fromJson);
    JobNextResponse job = new JobNextResponse(Optional.of(new JobLease(-1L, 42, 1710000060, 1)));
    assertThat(text(job.toJson())).isEqualTo("{\"job\":{\"id\":18446744073709551615,\"work_units\":42,"
        + "\"lease_expires_unix\":1710000060,\"lease_epoch\":1}}");
    roundTrips(job, JobNextResponse::fromJson);
    assertThat(codeOf(() -> JobNextResponse.fromJson(obj("{}")))).isEqualTo(ErrorCode.MISSING_FIELD);

    TaskNextResponse task = new TaskNextResponse(Optional.of(new TaskLease(RunId.of("r"),
        DagId.of("d"), TaskId.of("t\"1"), H, 5, "sim", 90, 2)));
    assertThat(text(task.toJson())).isEqualTo("{\"task\":{\"run_id\":\"r\",\"dag_id\":\"d\","
        + "\"task_id\":\"t\\\"1\",\"task_hash\":\"" + H.hex() + "\",\"work_units\":5,"
        + "\"task_type\":\"sim\",\"lease_expires_unix\":90,\"lease_epoch\":2}}");
    roundTrips(task, TaskNextResponse::fromJson);
    roundTrips(new DagSubmitResponse(DagId.of(H.hex()), H, 3), DagSubmitResponse::fromJson);
    assertThat(text(new RunCreated(RunId.of("run-d-1")).toJson())).isEqualTo("{\"run_id\":\"run-d-1\"}");
    roundTrips(new RenewResponse(RunId.of("r"), TaskId.of("t"), 190, 4), RenewResponse::fromJson);

    TaskProofAccepted accepted = new TaskProofAccepted(RunId.of("r"), TaskId.of("t"),
        List.of(TaskId.of("b"), TaskId.of("c")), H, true, Optional.of(SignatureScheme.DIGEST),
        false, OptionalLong.of(7));
    assertThat(text(accepted.toJson())).isEqualTo("{\"status\":\"accepted\",\"run_id\":\"r\","
        + "\"task_id\":\"t\",\"unlocked_ready\":2,\"unlocked_task_ids\":[\"b\",\"c\"],"
        + "\"proof_hash\":\"" + H.hex() + "\",\"signature_verified\":true,\"scheme\":\"digest\","
        + "\"repeat\":false,\"ledger_index\":7}");
    roundTrips(accepted, TaskProofAccepted::fromJson);
    roundTrips(new TaskFailed(RunId.of("r"), TaskId.of("t"), true, 3), TaskFailed::fromJson);

    JobProofReceipt plain = new JobProofReceipt("rcpt:1:ab", true,
        Optional.of(SignatureScheme.LAUNCHER), 5, false, OptionalLong.empty(), Optional.empty(),
        Optional.empty());
    assertThat(text(plain.toJson())).isEqualTo("{\"status\":\"accepted\",\"receipt\":\"rcpt:1:ab\","
        + "\"signature_verified\":true,\"scheme\":\"launcher\",\"accepted_unix\":5,\"repeat\":false}");
    roundTrips(plain, JobProofReceipt::fromJson);
    roundTrips(new JobProofReceipt("h", false, Optional.empty(), 5, true, OptionalLong.of(3),
        Optional.of("k"), Optional.of("s")), JobProofReceipt::fromJson);
    assertThatThrownBy(() -> new JobProofReceipt("h", true, Optional.empty(), 5, false,
        OptionalLong.empty(), Optional.of("k"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);

    RunStatusResponse status = new RunStatusResponse(RunId.of("r"), DagId.of("d"), H, "n", 10, 4,
        1, 1, 1, 1, 0, RunState.RUNNING);
    assertThat(text(status.toJson())).isEqualTo("{\"run_id\":\"r\",\"dag_id\":\"d\",\"dag_root_hash\":\""
        + H.hex() + "\",\"name\":\"n\",\"created_unix\":10,\"tasks_total\":4,\"tasks_ready\":1,"
        + "\"tasks_running\":1,\"tasks_completed\":1,\"tasks_failed\":0,\"tasks_pending\":1,"
        + "\"state\":\"running\"}");
    roundTrips(status, RunStatusResponse::fromJson);
  }

  @Test
  void metricsWriteV1FieldsFirstAndDecimalsWithAFraction() {
    MetricsResponse m = new MetricsResponse(1710000000, 300, 2, 1, 3, 0.6, 150, 3, 90, 2, 1, 100,
        1.0 / 3, 120, 200, 210, Map.of("stale_lease", 2L, "bad_signature", 1L));
    assertThat(text(m.toJson())).isEqualTo("{\"window_sec\":300,\"timestamp\":1710000000,"
        + "\"active_nodes_90s\":2,\"active_miners_90s\":1,\"jobs_completed_window\":3,"
        + "\"jobs_per_min\":0.6,\"avg_job_ms\":150,\"proofs_window\":3,\"activity_seconds\":90,"
        + "\"nodes_online\":2,\"tasks_completed_window\":1,\"work_units_window\":100,"
        + "\"work_units_per_sec\":0.333,\"elapsed_ms_p50\":120,\"elapsed_ms_p95\":200,"
        + "\"elapsed_ms_p99\":210,\"rejections_window\":{\"bad_signature\":1,\"stale_lease\":2}}");
    assertThat(m.rejectionsTotalWindow()).isEqualTo(3);
    MetricsResponse back = MetricsResponse.fromJson(obj(m.toJson()));
    assertThat(back.rejectionsWindow()).isEqualTo(m.rejectionsWindow());
    assertThat(back.workUnitsPerSec()).isEqualTo(0.333);
    assertThat(MetricsResponse.decimal(0)).isEqualTo("0.0");
    assertThat(MetricsResponse.decimal(12)).isEqualTo("12.0");
    assertThatThrownBy(() -> MetricsResponse.decimal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readViewsAreArraysOfObjectsThatReadBack() {
    NodeView node = new NodeView(NodeId.of("kc_node_01"), "ab", true, List.of("node", "miner"),
        Optional.of(new JsonString("cpu")), Optional.of("protocol-v1"), OptionalDouble.of(47.5),
        OptionalDouble.of(-122.25), Optional.of("US"), 10, 20, true, 5, true, false,
        OptionalLong.of(5), OptionalLong.empty());
    ListResponse<NodeView> nodes = new ListResponse<>(List.of(node));
    assertThat(text(nodes.toJson())).isEqualTo("[{\"node_id\":\"kc_node_01\",\"public_key_hex\":\"ab\","
        + "\"key_pinned\":true,\"roles\":[\"node\",\"miner\"],\"compute_profile\":\"cpu\","
        + "\"client_version\":\"protocol-v1\",\"latitude\":47.5,\"longitude\":-122.25,"
        + "\"country\":\"US\",\"first_seen_unix\":10,\"last_seen_unix\":20,\"is_online\":true,"
        + "\"seconds_since_seen\":5,\"is_node_online\":true,\"is_miner_online\":false,"
        + "\"seconds_since_node_seen\":5,\"seconds_since_miner_seen\":null}]");
    JsonValue data = StrictJsonReader.withDefaults().read(nodes.toJson());
    assertThat(ListResponse.fromJson(data, NodeView::fromJson)).isEqualTo(nodes);

    JobView job = new JobView(7, 500_000, JobState.RUNNING, Optional.of(NodeId.of("n")),
        OptionalLong.of(100), OptionalLong.of(160), OptionalLong.empty(), 1, 1);
    roundTrips(job, JobView::fromJson);
    ProofView proof = new ProofView(0, ProofKind.JOB, NodeId.of("n"), Optional.empty(),
        OptionalLong.of(7), Optional.empty(), Optional.empty(), 500_000, 10,
        Optional.of(SignatureScheme.DIGEST), true, 150, "c1", OptionalLong.of(0));
    roundTrips(proof, ProofView::fromJson);
    roundTrips(new RecentJob(job, List.of(proof)), RecentJob::fromJson);
    roundTrips(new JobsSummary(1, 2, 3, 4), JobsSummary::fromJson);
    assertThat(text(new JobsSummary(1, 2, 3, 4).toJson()))
        .isEqualTo("{\"pending\":1,\"running\":2,\"completed\":3,\"expired\":4,\"total\":10}");
    roundTrips(new DagView(DagId.of(H.hex()), H, "diamond", 4, 4), DagView::fromJson);
    DagSpecView spec = new DagSpecView("d", List.of(new DagSpecView.Task(TaskId.of("a"), 5, "",
        JsonNull.INSTANCE)), List.of(new DagSpecView.Edge(TaskId.of("a"), TaskId.of("b"))));
    assertThat(text(spec.toJson())).isEqualTo("{\"name\":\"d\",\"nodes\":[{\"task_id\":\"a\","
        + "\"work_units\":5,\"task_type\":\"\",\"params\":null}],\"edges\":[{\"from\":\"a\",\"to\":\"b\"}]}");
    roundTrips(spec, DagSpecView::fromJson);
    roundTrips(new RunTaskView(TaskId.of("a"), H, TaskState.RUNNING, Optional.of(NodeId.of("n")),
        OptionalLong.of(90), 1, 1), RunTaskView::fromJson);
    roundTrips(new HealthResponse(5), HealthResponse::fromJson);
    DashboardOverview d = new DashboardOverview(5, 300, 1, 1, 2, 4, 3, 2, 2, 100, 3, 2, 10,
        new JobsSummary(1, 0, 2, 0));
    assertThat(d.verificationShare()).isEqualTo(0.75);
    roundTrips(d, DashboardOverview::fromJson);
  }

  @Test
  void envelopeOkAndErrorFormsAndTheirParsing() {
    byte[] ok = Envelope.ok(new RunCreated(RunId.of("r")), 1710000000);
    assertThat(text(ok)).isEqualTo("{\"status\":\"ok\",\"data\":{\"run_id\":\"r\"},\"error\":null,\"ts\":1710000000}");
    Envelope e = Envelope.parse(ok);
    assertThat(e.ok()).isTrue();
    assertThat(RunCreated.fromJson((JsonObject) e.dataOrThrow())).isEqualTo(new RunCreated(RunId.of("r")));
    byte[] err = Envelope.error(ErrorCode.STALE_LEASE, "epoch 1 is not 2", 5);
    assertThat(text(err)).isEqualTo("{\"status\":\"error\",\"data\":null,\"error\":{\"code\":\"stale_lease\","
        + "\"message\":\"epoch 1 is not 2\"},\"ts\":5}");
    Envelope parsed = Envelope.parse(err);
    assertThat(parsed.error()).contains(new ApiError("stale_lease", "epoch 1 is not 2"));
    assertThat(parsed.error().get().knownCode()).contains(ErrorCode.STALE_LEASE);
    assertThat(codeOf(parsed::dataOrThrow)).isEqualTo(ErrorCode.STALE_LEASE);
    // every envelope is well-formed JSON, even with a lone surrogate in the message
    JsonObject bad = obj(text(Envelope.error(ErrorCode.INTERNAL, "bad \ud800 \"q\"\n", 0)));
    JsonObject error = (JsonObject) bad.members().get("error");
    assertThat(((JsonString) error.members().get("message")).value()).isEqualTo("bad \ufffd \"q\"\n");
    assertThat(codeOf(() -> Envelope.parse("{\"status\":\"maybe\",\"ts\":1}".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(ErrorCode.FIELD_OUT_OF_RANGE);
  }

  @Test
  void receiptPayloadBytesAndV1ReceiptText() {
    String receipt = JobReceiptPayload.v1Receipt(NodeId.of("kc_node_01"), 123, 1710000005, 42);
    assertThat(receipt).isEqualTo("rcpt:123:" + Sha256Digest.hash(
        "kc_node_01|123|1710000005|42".getBytes(StandardCharsets.US_ASCII)).hex());
    JobReceiptPayload r = new JobReceiptPayload(receipt, NodeId.of("kc_node_01"), 123, 42,
        Optional.of(SignatureScheme.DIGEST), "ab", true, 1710000005, OptionalLong.of(9));
    assertThat(text(r.canonicalBytes())).isEqualTo(
        "{\"receipt_version\":\"kascompute-job-receipt-2\",\"receipt\":\"" + receipt
            + "\",\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,\"scheme\":\"digest\","
            + "\"proof_signature\":\"ab\",\"signature_verified\":true,\"accepted_unix\":1710000005,"
            + "\"ledger_index\":9}");
  }

  @Property(tries = 300)
  void jobProofRequestsRoundTrip(@ForAll("jobProofRequests") JobProofRequest r) {
    assertThat(JobProofRequest.fromJson(obj(r.toJson()))).isEqualTo(r);
  }

  @Property(tries = 300)
  void heartbeatRequestsRoundTrip(@ForAll("heartbeats") HeartbeatRequest r) {
    assertThat(HeartbeatRequest.fromJson(obj(r.toJson()))).isEqualTo(r);
  }

  @Provide
  Arbitrary<JobProofRequest> jobProofRequests() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(10).filter(WireRecordsTest::wellFormed);
    Arbitrary<Long> u64 = Arbitraries.longs();
    Arbitrary<OptionalLong> optU64 = Arbitraries.oneOf(Arbitraries.just(OptionalLong.empty()),
        u64.map(OptionalLong::of));
    return Combinators.combine(text, text.optional(), optU64, u64, text.optional(), optU64,
            text.optional(), optU64)
        .as((node, miner, job, units, mode, elapsed, version, ts) -> new JobProofRequest(
            NodeId.of(node), miner, job, units, mode, elapsed, version, ts, Optional.of("00"),
            Optional.of("11"), Optional.empty(), Optional.of("22"), OptionalLong.of(3)));
  }

  @Provide
  Arbitrary<HeartbeatRequest> heartbeats() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(10).filter(WireRecordsTest::wellFormed);
    return Combinators.combine(text, text, text.list().ofMaxSize(3).optional(), text.optional(),
            Arbitraries.longs().map(OptionalLong::of))
        .as((node, key, roles, version, ts) -> new HeartbeatRequest(NodeId.of(node), key, roles,
            version.map(v -> (JsonValue) new JsonString(v)), version, Optional.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(), ts,
            Optional.of("aa"), Optional.empty()));
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
