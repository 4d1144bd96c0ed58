package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.wire.HeartbeatPayload;
import io.kascompute.core.wire.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.wire.TaskProofPayload;
import io.kascompute.crypto.internal.Ed25519Ops;
import java.util.Objects;

/**
 * Signs proofs with a node's key: payload canonical bytes, SHA-256, Ed25519 over the raw 32-byte
 * digest, lowercase hex. Immutable and safe to share between threads.
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

  /** Signs a V1 job proof and returns the request body fields of {@code POST /v1/jobs/proof}. */
  public JobProofSubmission signJobProof(JobProofPayload payload) {
    ProofSignature s = signDigest(payload.digest());
    return new JobProofSubmission(payload, s.proofHash(), s.signature(), s.publicKeyHex());
  }

  /** Signs a task proof: the fields {@code proof_hash}, {@code signature}, {@code public_key_hex}. */
  public ProofSignature signTaskProof(TaskProofPayload payload) {
    return signDigest(payload.digest());
  }

  /**
   * Signs a heartbeat and returns its {@code signature_hex}.
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

  private ProofSignature signDigest(Sha256Digest digest) {
    byte[] d = digest.toByteArray();
    byte[] sig = Ed25519Ops.sign(keys.seed(), keys.publicKey().rawBytes(), d, 0, d.length);
    return new ProofSignature(digest.hex(), HexCodec.encode(sig), keys.publicKey().hex());
  }
}
