package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherJobProof;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A signed job proof as an auditor (or a signing client) holds it: the fields a V1 job proof
 * request carries, in either signature scheme, with the key that is claimed to have signed it.
 *
 * <p>A digest-scheme proof has every payload field ({@link #digestPayload()} is present) and
 * usually a {@code proof_hash}; a launcher-scheme proof needs only {@code node_id}, {@code job_id},
 * {@code work_units}, {@code ts} and the signature ({@link #launcherMessage()}). {@code jobId},
 * {@code workUnits}, {@code elapsedMs} and {@code ts} are unsigned 64-bit integers held in {@code
 * long}s. Hex fields are kept as the text received, so that a verifier can report malformed hex
 * precisely.
 *
 * @param workloadMode {@code workload_mode}; absent means {@value JobProofPayload#DEFAULT_WORKLOAD_MODE}
 * @param elapsedMs {@code elapsed_ms}; without it the digest payload cannot be rebuilt offline
 * @param clientVersion {@code client_version}; absent means {@value JobProofPayload#DEFAULT_CLIENT_VERSION}
 * @param proofHash {@code proof_hash_hex} (alias {@code proof_hash}), digest scheme only
 * @param signature {@code signature_hex} (alias {@code signature})
 * @param publicKeyHex the claimed signer's key; a coordinator verifies against its pinned key
 *     instead
 */
public record JobProofSubmission(
    NodeId nodeId,
    Optional<String> minerId,
    long jobId,
    long workUnits,
    Optional<String> workloadMode,
    OptionalLong elapsedMs,
    Optional<String> clientVersion,
    long ts,
    Optional<String> proofHash,
    String signature,
    Optional<String> publicKeyHex) {

  /** Checks that no component is null. */
  public JobProofSubmission {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(minerId, "minerId");
    Objects.requireNonNull(workloadMode, "workloadMode");
    Objects.requireNonNull(elapsedMs, "elapsedMs");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(proofHash, "proofHash");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
  }

  /** A digest-scheme submission: the payload, its {@code proof_hash}, signature and key. */
  public static JobProofSubmission digest(
      JobProofPayload payload, String proofHash, String signature, String publicKeyHex) {
    return of(payload, Optional.of(proofHash), signature, publicKeyHex);
  }

  /**
   * A launcher-scheme submission: the payload's fields (of which the signature covers node, job,
   * work units and time only), its signature and key, and no {@code proof_hash}.
   */
  public static JobProofSubmission launcher(
      JobProofPayload payload, String signature, String publicKeyHex) {
    return of(payload, Optional.empty(), signature, publicKeyHex);
  }

  private static JobProofSubmission of(
      JobProofPayload p, Optional<String> proofHash, String signature, String publicKeyHex) {
    return new JobProofSubmission(p.nodeId(), p.minerId(), p.jobId(), p.workUnits(),
        Optional.of(p.workloadMode()), OptionalLong.of(p.elapsedMs()),
        Optional.of(p.clientVersion()), p.ts(), proofHash, signature,
        Optional.of(publicKeyHex));
  }

  /**
   * Reads a submission from a JSON object, ignoring unknown fields: {@code node_id}, {@code
   * miner_id?}, {@code job_id}, {@code work_units}, {@code workload_mode?}, {@code elapsed_ms?},
   * {@code client_version?}, {@code timestamp_unix} (alias {@code ts}), {@code proof_hash_hex?}
   * (alias {@code proof_hash}), {@code signature_hex} (alias {@code signature}), {@code
   * public_key_hex?}.
   *
   * @throws io.kascompute.core.KasComputeException {@code missing_field}, {@code wrong_type},
   *     {@code field_out_of_range}, or {@code duplicate_field} when a name and its alias are both
   *     sent
   */
  public static JobProofSubmission fromJson(JsonObject body) {
    return new JobProofSubmission(
        NodeId.of(Fields.string(body, "node_id")),
        Fields.optionalString(body, "miner_id"),
        Fields.u64(body, "job_id"),
        Fields.u64(body, "work_units"),
        Fields.optionalString(body, "workload_mode"),
        Fields.optionalU64(body, "elapsed_ms"),
        Fields.optionalString(body, "client_version"),
        Fields.optionalU64(body, "timestamp_unix", "ts")
            .orElseThrow(() -> Fields.missing("timestamp_unix")),
        Fields.optionalString(body, "proof_hash_hex", "proof_hash"),
        Fields.optionalString(body, "signature_hex", "signature")
            .orElseThrow(() -> Fields.missing("signature_hex")),
        Fields.optionalString(body, "public_key_hex"));
  }

  /**
   * The digest-scheme payload these fields rebuild, with V1's defaults for a missing {@code
   * workload_mode} and {@code client_version}; empty without {@code elapsed_ms}.
   */
  public Optional<JobProofPayload> digestPayload() {
    if (elapsedMs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new JobProofPayload(nodeId, minerId, jobId, workUnits,
        workloadMode.orElse(JobProofPayload.DEFAULT_WORKLOAD_MODE), elapsedMs.getAsLong(),
        clientVersion.orElse(JobProofPayload.DEFAULT_CLIENT_VERSION), ts));
  }

  /** The launcher-scheme message these fields sign: {@code pf|node_id|job_id|work_units|ts}. */
  public LauncherJobProof launcherMessage() {
    return new LauncherJobProof(nodeId, jobId, workUnits, ts);
  }

  /**
   * The request body: the fields present in V1 schema order ({@code node_id, miner_id?, job_id,
   * work_units, workload_mode?, elapsed_ms?, client_version?, ts}), then {@code proof_hash} when
   * present, {@code signature}, and {@code public_key_hex} when present. A deployed coordinator
   * reads every one of these names.
   */
  public byte[] toJsonBytes() {
    JsonWriter w = new JsonWriter(400);
    w.raw('{').key("node_id").string(nodeId.value());
    if (minerId.isPresent()) {
      w.raw(',').key("miner_id").string(minerId.get());
    }
    w.raw(',').key("job_id").unsigned(jobId);
    w.raw(',').key("work_units").unsigned(workUnits);
    if (workloadMode.isPresent()) {
      w.raw(',').key("workload_mode").string(workloadMode.get());
    }
    if (elapsedMs.isPresent()) {
      w.raw(',').key("elapsed_ms").unsigned(elapsedMs.getAsLong());
    }
    if (clientVersion.isPresent()) {
      w.raw(',').key("client_version").string(clientVersion.get());
    }
    w.raw(',').key("ts").unsigned(ts);
    if (proofHash.isPresent()) {
      w.raw(',').key("proof_hash").string(proofHash.get());
    }
    w.raw(',').key("signature").string(signature);
    if (publicKeyHex.isPresent()) {
      w.raw(',').key("public_key_hex").string(publicKeyHex.get());
    }
    return w.raw('}').toByteArray();
  }
}
