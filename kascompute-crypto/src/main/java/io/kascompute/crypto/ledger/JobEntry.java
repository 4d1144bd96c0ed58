package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodePublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A job proof the coordinator accepted: the payload values it verified (V1 defaults applied), the
 * scheme whose signature verified, the signature, and the pinned key it verified against (the
 * node's, or the miner's when {@code miner_id} is present).
 *
 * @param scheme {@code scheme}: {@code digest} or {@code launcher}
 * @param payload {@code node_id}, {@code miner_id} (when present), {@code job_id}, {@code
 *     work_units}, {@code workload_mode}, {@code elapsed_ms}, {@code client_version}, {@code ts}
 * @param signatureHex {@code signature}, 128 lowercase hex characters
 * @param publicKeyHex {@code public_key_hex}, 64 lowercase hex characters
 * @param proofHashHex {@code proof_hash}, 64 lowercase hex characters: present exactly for the
 *     digest scheme
 * @param acceptedUnix {@code accepted_unix}, unsigned
 * @param coordinator {@code coordinator}, the accepting coordinator's id
 */
public record JobEntry(
    SignatureScheme scheme,
    JobProofPayload payload,
    String signatureHex,
    String publicKeyHex,
    Optional<String> proofHashHex,
    long acceptedUnix,
    String coordinator) implements LedgerEntry {

  /**
   * Checks the members.
   *
   * @throws KasComputeException {@code malformed_hex} or {@code wrong_length} for a hex member
   *     that is not lowercase hex of its length; {@code missing_field} for a digest-scheme entry
   *     without {@code proof_hash}; {@code non_canonical_entry} for a launcher-scheme entry with
   *     one
   */
  public JobEntry {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(payload, "payload");
    EntryCodec.lowerHex("signature", signatureHex, EntryCodec.SIGNATURE_HEX);
    EntryCodec.lowerHex("public_key_hex", publicKeyHex, EntryCodec.KEY_HEX);
    Objects.requireNonNull(proofHashHex, "proofHashHex");
    Objects.requireNonNull(coordinator, "coordinator");
    if (scheme == SignatureScheme.DIGEST) {
      EntryCodec.lowerHex("proof_hash", proofHashHex.orElseThrow(() -> new KasComputeException(
          ErrorCode.MISSING_FIELD, "field proof_hash is required in a digest-scheme job entry")),
          EntryCodec.HASH_HEX);
    } else if (proofHashHex.isPresent()) {
      throw new KasComputeException(ErrorCode.NON_CANONICAL_ENTRY,
          "a launcher-scheme job entry has no member \"proof_hash\"");
    }
  }

  /**
   * The entry for a job proof that verified in the digest scheme: {@code proof_hash} is the
   * payload's digest; hex may be given in either case.
   *
   * @throws KasComputeException {@code malformed_hex} or {@code wrong_length} for the signature
   */
  public static JobEntry digest(JobProofPayload payload, String signatureHex, NodePublicKey key,
      long acceptedUnix, String coordinator) {
    return new JobEntry(SignatureScheme.DIGEST, payload,
        EntryCodec.normalizeHex("signature", signatureHex, EntryCodec.SIGNATURE_HEX), key.hex(),
        Optional.of(payload.digest().hex()), acceptedUnix, coordinator);
  }

  /**
   * The entry for a job proof that verified in the launcher scheme (over {@code
   * pf|node_id|job_id|work_units|ts}), with the other payload values the coordinator recorded.
   *
   * @throws KasComputeException {@code malformed_hex} or {@code wrong_length} for the signature
   */
  public static JobEntry launcher(JobProofPayload payload, String signatureHex, NodePublicKey key,
      long acceptedUnix, String coordinator) {
    return new JobEntry(SignatureScheme.LAUNCHER, payload,
        EntryCodec.normalizeHex("signature", signatureHex, EntryCodec.SIGNATURE_HEX), key.hex(),
        Optional.empty(), acceptedUnix, coordinator);
  }

  @Override
  public String kind() {
    return "job";
  }

  @Override
  public NodeId nodeId() {
    return payload.nodeId();
  }

  /** The id whose pinned key signed: {@code miner_id} when present, else {@code node_id}. */
  public String signerId() {
    return payload.minerId().orElse(payload.nodeId().value());
  }

  /** The proof as a verifier re-checks it: every payload field, the signature and the key. */
  public JobProofSubmission submission() {
    return new JobProofSubmission(payload.nodeId(), payload.minerId(), payload.jobId(),
        payload.workUnits(), Optional.of(payload.workloadMode()),
        OptionalLong.of(payload.elapsedMs()), Optional.of(payload.clientVersion()), payload.ts(),
        proofHashHex, signatureHex, Optional.of(publicKeyHex));
  }

  @Override
  public byte[] leafBytes() {
    return leaf().bytes();
  }

  @Override
  public Sha256Digest leafHash() {
    return leaf().leafHash();
  }

  private EntryCodec.Leaf leaf() {
    EntryCodec.Leaf leaf = new EntryCodec.Leaf()
        .u64("accepted_unix", acceptedUnix)
        .string("client_version", payload.clientVersion())
        .string("coordinator", coordinator)
        .u64("elapsed_ms", payload.elapsedMs())
        .u64("job_id", payload.jobId())
        .string("kind", "job");
    if (payload.minerId().isPresent()) {
      leaf.string("miner_id", payload.minerId().get());
    }
    leaf.string("node_id", payload.nodeId().value());
    if (proofHashHex.isPresent()) {
      leaf.string("proof_hash", proofHashHex.get());
    }
    return leaf.string("public_key_hex", publicKeyHex)
        .string("scheme", scheme.wireName())
        .string("signature", signatureHex)
        .u64("ts", payload.ts())
        .u64("work_units", payload.workUnits())
        .string("workload_mode", payload.workloadMode());
  }
}
