package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;
import java.util.Optional;

/**
 * The V1 job proof payload: what a miner signs after computing a job.
 *
 * <p>Its {@link #canonicalBytes() canonical bytes} are compact JSON in V1 schema order {@code
 * node_id, [miner_id], job_id, work_units, workload_mode, elapsed_ms, client_version, ts}, with
 * {@code miner_id} left out when absent. {@code jobId}, {@code workUnits}, {@code elapsedMs} and
 * {@code ts} are unsigned 64-bit integers held in {@code long}s. Any string is a valid id here:
 * deployed V1 accepts control characters and empty ids, so verification does too (a coordinator
 * refuses such ids by admission policy before it verifies).
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

  /**
   * The exact bytes that are hashed and signed.
   *
   * @throws io.kascompute.core.KasComputeException {@code invalid_utf8} if a string holds a lone
   *     surrogate
   */
  public byte[] canonicalBytes() {
    JsonWriter w = new JsonWriter(160);
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
    return w.toByteArray();
  }

  /** SHA-256 of the canonical bytes: the {@code proof_hash}. */
  public Sha256Digest digest() {
    return Sha256Digest.hash(canonicalBytes());
  }
}
