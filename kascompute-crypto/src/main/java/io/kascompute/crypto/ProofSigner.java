package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.internal.Ed25519Ops;
import java.util.Objects;

/**
 * Signs proofs and heartbeats with a node's key, in either scheme of the field: the digest scheme
 * (canonical payload bytes, SHA-256, Ed25519 over the raw 32-byte digest) or the public launcher's
 * scheme (Ed25519 over a raw {@code pf|…} or {@code hb|…} message). Signatures are lowercase hex.
 * Immutable and safe to share between threads.
 */
public final class ProofSigner {
  private final NodeKeyPair keys;

  private ProofSigner(NodeKeyPair keys) {
    this.keys = keys;
  }

  /** A signer for the given key pair. */
  public static ProofSigner of(NodeKeyPair keys) {
    return new ProofSigner(Objects.requireNonNull(keys, "keys"));
  }

  /** The signer's public key. */
  public NodePublicKey publicKey() {
    return keys.publicKey();
  }

  /**
   * Signs a V1 job proof in the digest scheme and returns the submission whose {@link
   * JobProofSubmission#toJsonBytes()} is the body of {@code POST /v1/jobs/{job_id}/proof}.
   */
  public JobProofSubmission signJobProof(JobProofPayload payload) {
    ProofSignature s = signDigest(payload.digest());
    return JobProofSubmission.digest(payload, s.proofHash(), s.signature(), s.publicKeyHex());
  }

  /**
   * Signs a V1 job proof in the launcher scheme, over {@code pf|node_id|job_id|work_units|ts}:
   * what the public node launcher sends, accepted by every deployed coordinator. The payload's
   * other fields travel unsigned; a payload with a {@code miner_id} cannot be signed this way.
   *
   * @throws KasComputeException {@link ErrorCode#WRONG_TYPE} if the payload has a {@code miner_id}
   */
  public JobProofSubmission signLauncherJobProof(JobProofPayload payload) {
    if (payload.minerId().isPresent()) {
      throw new KasComputeException(ErrorCode.WRONG_TYPE,
          "the launcher scheme does not sign miner_id; sign a proof with a miner_id in the digest scheme");
    }
    String signature = sign(LauncherJobProof.of(payload).message());
    return JobProofSubmission.launcher(payload, signature, keys.publicKey().hex());
  }

  /**
   * Signs a launcher-scheme job proof message, {@code pf|node_id|job_id|work_units|ts}, and returns
   * its {@code signature_hex}: for a client that builds its own request body, as the launcher does.
   */
  public String signLauncherJobProof(LauncherJobProof message) {
    return sign(message.message());
  }

  /** Signs a task proof: the fields {@code proof_hash}, {@code signature}, {@code public_key_hex}. */
  public ProofSignature signTaskProof(TaskProofPayload payload) {
    return signDigest(payload.digest());
  }

  /**
   * Signs a heartbeat in the digest scheme (the SDK's heartbeat payload) and returns its {@code
   * signature_hex}.
   *
   * @throws KasComputeException {@link ErrorCode#KEY_MISMATCH} if the payload's {@code
   *     public_key_hex} is not this signer's key
   */
  public String signHeartbeat(HeartbeatPayload payload) {
    if (!payload.publicKeyHex().equals(keys.publicKey().hex())) {
      throw new KasComputeException(
          ErrorCode.KEY_MISMATCH,
          "the heartbeat's public_key_hex is not the signer's key " + keys.publicKey().hex());
    }
    return signDigest(payload.digest()).signature();
  }

  /**
   * Signs a heartbeat in the launcher scheme, over {@code hb|node_id|compute_profile|timestamp_unix},
   * and returns its {@code signature_hex}.
   */
  public String signLauncherHeartbeat(LauncherHeartbeat message) {
    return sign(message.message());
  }

  private String sign(byte[] message) {
    return HexCodec.encode(
        Ed25519Ops.sign(keys.seed(), keys.publicKey().rawBytes(), message, 0, message.length));
  }

  private ProofSignature signDigest(Sha256Digest digest) {
    return new ProofSignature(digest.hex(), sign(digest.toByteArray()), keys.publicKey().hex());
  }
}
