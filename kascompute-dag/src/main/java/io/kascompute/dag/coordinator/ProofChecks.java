package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.crypto.NodePublicKey;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The coordinator's verification rules on top of the crypto module's stateless verifier: key
 * registration, the verification policy, and heartbeat timestamps. Every method either returns or
 * throws {@link KasComputeException}; none changes state.
 */
final class ProofChecks {
  /** How far a signed heartbeat's {@code timestamp_unix} may lie from the coordinator's clock. */
  static final Duration HEARTBEAT_WINDOW = Duration.ofSeconds(300);

  /** The failures {@link VerificationPolicy#V1_COMPAT} tolerates in a job proof. */
  private static final Set<ErrorCode> SIGNATURE_FAILURES = EnumSet.of(
      ErrorCode.BAD_SIGNATURE, ErrorCode.INVALID_PUBLIC_KEY, ErrorCode.MALFORMED_HEX,
      ErrorCode.WRONG_LENGTH, ErrorCode.MISSING_SIGNATURE);

  private static final Pattern LAUNCHER_ID = Pattern.compile("kc_[0-9a-f]{16}");

  private final ProofVerifier verifier = ProofVerifier.create();
  private final VerificationPolicy policy;

  ProofChecks(VerificationPolicy policy) {
    this.policy = policy;
  }

  /**
   * The heartbeat's key, validated as an Ed25519 point; a launcher-style node id ({@code kc_} and
   * 16 lowercase hex characters) must be the one derived from that key.
   */
  PublicKeyBytes heartbeatKey(HeartbeatRequest request) {
    PublicKeyBytes key = NodePublicKey.fromHex(request.publicKeyHex()).toPublicKeyBytes();
    String id = request.nodeId().value();
    if (LAUNCHER_ID.matcher(id).matches() && !key.launcherNodeId().value().equals(id)) {
      throw new KasComputeException(
          ErrorCode.KEY_MISMATCH,
          "node id " + id + " is launcher-style but the key's id is " + key.launcherNodeId());
    }
    return key;
  }

  /** Checks a signed heartbeat's timestamp and signature. */
  void verifyHeartbeat(HeartbeatRequest request, Instant now) {
    HeartbeatPayload payload = request.payload();
    long skew = Math.abs(payload.timestampUnix() - now.getEpochSecond());
    if (payload.timestampUnix() < 0 || skew > HEARTBEAT_WINDOW.toSeconds()) {
      throw new KasComputeException(
          ErrorCode.TIMESTAMP_OUT_OF_WINDOW,
          "timestamp_unix " + Long.toUnsignedString(payload.timestampUnix()) + " is more than "
              + HEARTBEAT_WINDOW.toSeconds() + " s from the coordinator's clock "
              + now.getEpochSecond());
    }
    verifier.verifyHeartbeat(payload, request.launcherMessage(), request.signatureHex().orElseThrow(),
        verifier.publicKey(request.publicKeyHex())).orThrow();
  }

  /**
   * Checks a job proof under the policy.
   *
   * @return whether the signature verified (false only under {@code V1_COMPAT})
   */
  boolean verifyJobProof(JobProofRequest request, Optional<PublicKeyBytes> registered) {
    NodeId node = request.payload().nodeId();
    Optional<String> keyHex = keyFor(node, request.publicKeyHex(), registered);
    Sha256Digest digest = request.payload().digest();
    if (request.signature().isEmpty() || request.proofHash().isEmpty() || keyHex.isEmpty()) {
      if (policy == VerificationPolicy.STRICT) {
        if (request.signature().isEmpty()) {
          throw new KasComputeException(
              ErrorCode.MISSING_SIGNATURE, "the job proof carries no signature");
        }
        throw new KasComputeException(
            ErrorCode.MISSING_FIELD,
            "field " + (request.proofHash().isEmpty() ? "proof_hash" : "public_key_hex")
                + " is required");
      }
      request.proofHash().ifPresent(h -> checkHash(h, digest));
      return false;
    }
    JobProofSubmission s = request.submission().orElseThrow();
    Verdict v = verifier.verifyJobProof(s, verifier.publicKey(keyHex.get()),
        java.util.EnumSet.allOf(io.kascompute.core.payload.SignatureScheme.class));
    if (v instanceof Verdict.Valid) {
      return true;
    }
    ErrorCode reason = v.reason().orElseThrow();
    if (policy == VerificationPolicy.STRICT || !SIGNATURE_FAILURES.contains(reason)) {
      v.orThrow();
    }
    return false;
  }

  /**
   * Checks a task proof under the policy.
   *
   * @return whether the signature verified (false only for an unsigned proof under {@code
   *     V1_COMPAT})
   */
  boolean verifyTaskProof(
      TaskProofRequest request, TaskProofPayload payload, Sha256Digest digest,
      Optional<PublicKeyBytes> registered) {
    Optional<String> keyHex = keyFor(request.nodeId(), request.publicKeyHex(), registered);
    if (request.signature().isEmpty()) {
      request.proofHash().ifPresent(h -> checkHash(h, digest));
      if (policy == VerificationPolicy.STRICT) {
        throw new KasComputeException(
            ErrorCode.MISSING_SIGNATURE, "the task proof carries no signature");
      }
      return false;
    }
    if (keyHex.isEmpty()) {
      throw new KasComputeException(
          ErrorCode.MISSING_FIELD,
          "field public_key_hex is required: node " + request.nodeId() + " registered no key");
    }
    verifier.verifyTaskProof(
        payload, request.proofHash(), request.signature().get(), verifier.publicKey(keyHex.get()))
        .orThrow();
    return true;
  }

  /** The key to verify with: the registered one, which a key sent in the proof must equal. */
  private static Optional<String> keyFor(
      NodeId node, Optional<String> sent, Optional<PublicKeyBytes> registered) {
    if (registered.isEmpty()) {
      return sent;
    }
    String known = registered.get().hex();
    if (sent.isPresent() && !sent.get().equalsIgnoreCase(known)) {
      throw new KasComputeException(
          ErrorCode.KEY_MISMATCH,
          "node " + node + " registered public key " + known + "; the proof carries " + sent.get());
    }
    return Optional.of(known);
  }

  private static void checkHash(String sent, Sha256Digest digest) {
    if (!sent.equalsIgnoreCase(digest.hex())) {
      throw new KasComputeException(
          ErrorCode.HASH_MISMATCH,
          "proof_hash " + sent + " is not the SHA-256 of the payload bytes (" + digest.hex() + ")");
    }
  }
}
