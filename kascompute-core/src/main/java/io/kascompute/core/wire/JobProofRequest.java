package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.JobProofPayload;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/jobs/{job_id}/proof} as a coordinator reads it, in either signature
 * scheme: {@code {node_id, miner_id?, job_id?, work_units, workload_mode?, elapsed_ms?,
 * client_version?, timestamp_unix?, proof_hash_hex?, signature_hex?, public_key_hex?,
 * result_hash?}} plus the SDK's {@code lease_epoch?}.
 *
 * <p>Aliases (a name and its alias together are refused with {@code duplicate_field}): {@code ts}
 * for {@code timestamp_unix}, {@code signature} for {@code signature_hex}, {@code proof_hash} for
 * {@code proof_hash_hex}. Everything V1 lets a client leave out is optional here, so that the
 * coordinator, not the parser, applies V1's defaults ({@link #submission}) and its verification
 * policy. The public launcher sends {@code {node_id, work_units, workload_mode, elapsed_ms,
 * result_hash, client_version:"protocol-v1", timestamp_unix, signature_hex}}, with the job id in
 * the path only.
 */
public record JobProofRequest(
    NodeId nodeId,
    Optional<String> minerId,
    OptionalLong jobId,
    long workUnits,
    Optional<String> workloadMode,
    OptionalLong elapsedMs,
    Optional<String> clientVersion,
    OptionalLong timestampUnix,
    Optional<String> proofHash,
    Optional<String> signatureHex,
    Optional<String> publicKeyHex,
    Optional<String> resultHash,
    OptionalLong leaseEpoch) implements WireRequest {

  /** The {@code client_version} of the public node launcher, which signs in the launcher scheme. */
  public static final String LAUNCHER_CLIENT_VERSION = "protocol-v1";

  /** Checks that nothing is null. */
  public JobProofRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(minerId, "minerId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(workloadMode, "workloadMode");
    Objects.requireNonNull(elapsedMs, "elapsedMs");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(timestampUnix, "timestampUnix");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(signatureHex, "signatureHex");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    Objects.requireNonNull(resultHash, "resultHash");
    Objects.requireNonNull(leaseEpoch, "leaseEpoch");
  }

  /**
   * The request that sends a signed submission (either scheme) for its job, with an optional lease
   * epoch; the job id travels in the body too.
   */
  public static JobProofRequest of(JobProofSubmission s, OptionalLong leaseEpoch) {
    return new JobProofRequest(s.nodeId(), s.minerId(), OptionalLong.of(s.jobId()),
        s.workUnits(), s.workloadMode(), s.elapsedMs(), s.clientVersion(),
        OptionalLong.of(s.ts()), s.proofHash(), Optional.of(s.signature()), s.publicKeyHex(),
        Optional.empty(), leaseEpoch);
  }

  /**
   * Reads the body, ignoring unknown fields.
   *
   * @throws io.kascompute.core.KasComputeException {@code missing_field}, {@code wrong_type},
   *     {@code field_out_of_range} or {@code duplicate_field}
   */
  public static JobProofRequest fromJson(JsonObject body) {
    return new JobProofRequest(
        Fields.nodeId(body, "node_id"),
        Fields.optionalString(body, "miner_id"),
        Fields.optionalU64(body, "job_id"),
        Fields.u64(body, "work_units"),
        Fields.optionalString(body, "workload_mode"),
        Fields.optionalU64(body, "elapsed_ms"),
        Fields.optionalString(body, "client_version"),
        Fields.optionalU64(body, "timestamp_unix", "ts"),
        Fields.optionalString(body, "proof_hash_hex", "proof_hash"),
        Fields.optionalString(body, "signature_hex", "signature"),
        Fields.optionalString(body, "public_key_hex"),
        Fields.optionalString(body, "result_hash"),
        Fields.optionalU64(body, "lease_epoch"));
  }

  /** Whether the client says it is the public launcher ({@code client_version} "protocol-v1"). */
  public boolean fromLauncher() {
    return clientVersion.filter(LAUNCHER_CLIENT_VERSION::equals).isPresent();
  }

  /**
   * The digest-scheme payload V1 rebuilds from this request: {@code job_id} from the path, and
   * V1's defaults for what is missing ({@code workload_mode} "sim", {@code client_version}
   * "unknown", {@code ts} the coordinator's clock, {@code elapsed_ms} the job's age in ms).
   */
  public JobProofPayload payload(long pathJobId, long defaultTs, long defaultElapsedMs) {
    return new JobProofPayload(nodeId, minerId, pathJobId, workUnits,
        workloadMode.orElse(JobProofPayload.DEFAULT_WORKLOAD_MODE),
        elapsedMs.orElse(defaultElapsedMs),
        clientVersion.orElse(JobProofPayload.DEFAULT_CLIENT_VERSION),
        timestampUnix.orElse(defaultTs));
  }

  /**
   * The submission to verify, with the payload of {@link #payload} and the request's signature;
   * empty when the request carries no signature.
   */
  public Optional<JobProofSubmission> submission(
      long pathJobId, long defaultTs, long defaultElapsedMs) {
    if (signatureHex.isEmpty()) {
      return Optional.empty();
    }
    JobProofPayload p = payload(pathJobId, defaultTs, defaultElapsedMs);
    return Optional.of(new JobProofSubmission(p.nodeId(), p.minerId(), p.jobId(), p.workUnits(),
        Optional.of(p.workloadMode()), OptionalLong.of(p.elapsedMs()),
        Optional.of(p.clientVersion()), p.ts(), proofHash, signatureHex.get(), publicKeyHex));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(400);
    w.raw('{').key("node_id").string(nodeId.value());
    WireJson.optionalString(w, "miner_id", minerId);
    WireJson.optionalU64(w, "job_id", jobId);
    w.raw(',').key("work_units").unsigned(workUnits);
    WireJson.optionalString(w, "workload_mode", workloadMode);
    WireJson.optionalU64(w, "elapsed_ms", elapsedMs);
    WireJson.optionalString(w, "client_version", clientVersion);
    WireJson.optionalU64(w, "timestamp_unix", timestampUnix);
    WireJson.optionalString(w, "proof_hash_hex", proofHash);
    WireJson.optionalString(w, "signature_hex", signatureHex);
    WireJson.optionalString(w, "public_key_hex", publicKeyHex);
    WireJson.optionalString(w, "result_hash", resultHash);
    WireJson.optionalU64(w, "lease_epoch", leaseEpoch);
    return w.raw('}').toByteArray();
  }
}
