package io.kascompute.crypto.ledger;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.NodePublicKey;
import java.util.Objects;

/**
 * A task proof the coordinator accepted (digest scheme, the only one task proofs have): the
 * payload it verified, the signature, the pinned key of the node and the proof hash.
 *
 * @param payload {@code node_id}, {@code run_id}, {@code task_id}, {@code task_hash}, {@code
 *     work_units}, {@code elapsed_ms}, {@code client_version}, {@code ts}
 * @param signatureHex {@code signature}, 128 lowercase hex characters
 * @param publicKeyHex {@code public_key_hex}, 64 lowercase hex characters
 * @param proofHashHex {@code proof_hash}, 64 lowercase hex characters
 * @param acceptedUnix {@code accepted_unix}, unsigned
 * @param coordinator {@code coordinator}, the accepting coordinator's id
 */
public record TaskEntry(
    TaskProofPayload payload,
    String signatureHex,
    String publicKeyHex,
    String proofHashHex,
    long acceptedUnix,
    String coordinator) implements LedgerEntry {

  /**
   * Checks the members.
   *
   * @throws io.kascompute.core.KasComputeException {@code malformed_hex} or {@code wrong_length}
   *     for a hex member that is not lowercase hex of its length
   */
  public TaskEntry {
    Objects.requireNonNull(payload, "payload");
    EntryCodec.lowerHex("signature", signatureHex, EntryCodec.SIGNATURE_HEX);
    EntryCodec.lowerHex("public_key_hex", publicKeyHex, EntryCodec.KEY_HEX);
    EntryCodec.lowerHex("proof_hash", proofHashHex, EntryCodec.HASH_HEX);
    Objects.requireNonNull(coordinator, "coordinator");
  }

  /**
   * The entry for a task proof that verified: {@code proof_hash} is the payload's digest; the
   * signature may be given in either case.
   *
   * @throws io.kascompute.core.KasComputeException {@code malformed_hex} or {@code wrong_length}
   *     for the signature
   */
  public static TaskEntry of(TaskProofPayload payload, String signatureHex, NodePublicKey key,
      long acceptedUnix, String coordinator) {
    return new TaskEntry(payload,
        EntryCodec.normalizeHex("signature", signatureHex, EntryCodec.SIGNATURE_HEX), key.hex(),
        payload.digest().hex(), acceptedUnix, coordinator);
  }

  @Override
  public String kind() {
    return "task";
  }

  @Override
  public NodeId nodeId() {
    return payload.nodeId();
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
    return new EntryCodec.Leaf()
        .u64("accepted_unix", acceptedUnix)
        .string("client_version", payload.clientVersion())
        .string("coordinator", coordinator)
        .u64("elapsed_ms", payload.elapsedMs())
        .string("kind", "task")
        .string("node_id", payload.nodeId().value())
        .string("proof_hash", proofHashHex)
        .string("public_key_hex", publicKeyHex)
        .string("run_id", payload.runId().value())
        .string("scheme", "digest")
        .string("signature", signatureHex)
        .string("task_hash", payload.taskHash().hex())
        .string("task_id", payload.taskId().value())
        .u64("ts", payload.ts())
        .u64("work_units", payload.workUnits());
  }
}
