package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;
import io.kascompute.core.json.JsonObject;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The V1 job proof payload: what a miner signs after computing a job.
 *
 * <p>Its {@link #canonicalBytes() canonical bytes} are compact JSON in V1 schema order {@code
 * node_id, [miner_id], job_id, work_units, workload_mode, elapsed_ms, client_version, ts}, with
 * {@code miner_id} left out when absent. {@code jobId}, {@code workUnits}, {@code elapsedMs} and
 * {@code ts} are unsigned 64-bit integers held in {@code long}s.
 */
public record JobProofPayload(
    NodeId nodeId,
    Optional<String> minerId,
    long jobId,
    long workUnits,
    String workloadMode,
    long elapsedMs,
    String clientVersion,
    long ts) {

  /** The coordinator's default for a missing {@code workload_mode}. */
  public static final String DEFAULT_WORKLOAD_MODE = "sim";

  /** The coordinator's default for a missing {@code client_version}. */
  public static final String DEFAULT_CLIENT_VERSION = "unknown";

  /** Checks that no component is null. */
  public JobProofPayload {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(minerId, "minerId");
    Objects.requireNonNull(workloadMode, "workloadMode");
    Objects.requireNonNull(clientVersion, "clientVersion");
  }

  /** The exact bytes that are hashed and signed. */
  public byte[] canonicalBytes() {
    JsonWriter w = new JsonWriter(160);
    writeTo(w);
    return w.toByteArray();
  }

  /** Writes the canonical bytes to {@code w}. */
  void writeTo(JsonWriter w) {
    w.raw('{').key("node_id").string(nodeId.value());
    if (minerId.isPresent()) {
      w.raw(',').key("miner_id").string(minerId.get());
    }
    w.raw(',').key("job_id").unsigned(jobId);
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("workload_mode").string(workloadMode);
    w.raw(',').key("elapsed_ms").unsigned(elapsedMs);
    w.raw(',').key("client_version").string(clientVersion);
    w.raw(',').key("ts").unsigned(ts).raw('}');
  }

  /**
   * Reads the payload fields of a job proof request, ignoring unknown fields: {@code ts} may be
   * sent as {@code timestamp_unix}; a missing {@code workload_mode} becomes {@value
   * #DEFAULT_WORKLOAD_MODE} and a missing {@code client_version} {@value #DEFAULT_CLIENT_VERSION}.
   *
   * @param pathJobId the job id from the request path ({@code /v1/jobs/:job_id/proof}); when
   *     present it is used, and a body {@code job_id} that differs is refused
   */
  public static JobProofPayload fromJson(JsonObject body, OptionalLong pathJobId) {
    OptionalLong bodyJobId = Fields.optionalU64(body, "job_id");
    long jobId;
    if (pathJobId.isPresent()) {
      jobId = pathJobId.getAsLong();
      if (bodyJobId.isPresent() && bodyJobId.getAsLong() != jobId) {
        throw new KasComputeException(
            ErrorCode.FIELD_OUT_OF_RANGE,
            "job_id " + Long.toUnsignedString(bodyJobId.getAsLong())
                + " differs from the job id in the path " + Long.toUnsignedString(jobId));
      }
    } else {
      jobId = bodyJobId.orElseThrow(() -> Fields.missing("job_id"));
    }
    long ts = Fields.optionalU64(body, "ts", "timestamp_unix")
        .orElseThrow(() -> Fields.missing("ts"));
    return new JobProofPayload(
        NodeId.of(Fields.string(body, "node_id")),
        Fields.optionalString(body, "miner_id"),
        jobId,
        Fields.u64(body, "work_units"),
        Fields.optionalString(body, "workload_mode").orElse(DEFAULT_WORKLOAD_MODE),
        Fields.u64(body, "elapsed_ms"),
        Fields.optionalString(body, "client_version").orElse(DEFAULT_CLIENT_VERSION),
        ts);
  }

  /** SHA-256 of the canonical bytes: the {@code proof_hash}. */
  public Sha256Digest digest() {
    return Sha256Digest.hash(canonicalBytes());
  }
}
