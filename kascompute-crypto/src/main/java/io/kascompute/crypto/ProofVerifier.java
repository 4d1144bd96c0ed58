package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.LruCache;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.internal.Ed25519Ops;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Stateless, offline verification of job proofs, task proofs and heartbeat signatures in both
 * schemes of the field ({@link SignatureScheme#DIGEST} and {@link SignatureScheme#LAUNCHER}),
 * returning a {@link Verdict} that names the scheme that verified. Safe to share between threads;
 * decoded public keys are kept in a bounded LRU cache because auditors see the same node keys
 * again and again.
 *
 * <p>Job proofs: the first failing check is the reason, in this order: the fields ({@code
 * missing_field}, {@code wrong_type}, {@code field_out_of_range}, {@code duplicate_field}); the hex
 * of {@code proof_hash} (when present), {@code signature} and {@code public_key_hex} ({@code
 * malformed_hex}, {@code wrong_length}); a present {@code proof_hash} against SHA-256 of the rebuilt
 * payload ({@code hash_mismatch}; a proof with a {@code proof_hash} but no {@code elapsed_ms} is
 * {@code missing_field}); the public key ({@code invalid_public_key}); then the signature,
 * first over the 32-byte payload digest (digest scheme, when {@code elapsed_ms} lets the payload
 * be rebuilt), then over {@code pf|node_id|job_id|work_units|ts} (launcher scheme, only for a
 * proof without {@code miner_id}) ({@code bad_signature} if neither verifies). Any string is a
 * valid id: verification agrees with deployed V1 on every proof it accepts.
 */
public final class ProofVerifier {
  /** The default number of decoded public keys kept. */
  public static final int DEFAULT_KEY_CACHE_SIZE = 4096;

  private static final Set<SignatureScheme> BOTH = EnumSet.allOf(SignatureScheme.class);

  private final StrictJsonReader reader;
  private final LruCache<String, NodePublicKey> keyCache;

  private ProofVerifier(StrictJsonReader reader, int keyCacheSize) {
    this.reader = reader;
    this.keyCache = new LruCache<>(keyCacheSize);
  }

  /** A verifier with default JSON limits and key cache size. */
  public static ProofVerifier create() {
    return new ProofVerifier(StrictJsonReader.withDefaults(), DEFAULT_KEY_CACHE_SIZE);
  }

  /** A verifier with the given JSON limits and key cache size (0 disables the cache). */
  public static ProofVerifier create(JsonLimits limits, int keyCacheSize) {
    if (keyCacheSize < 0) {
      throw new IllegalArgumentException("keyCacheSize must be >= 0, got " + keyCacheSize);
    }
    return new ProofVerifier(StrictJsonReader.withLimits(limits), keyCacheSize);
  }

  /** The JSON limits this verifier reads with. */
  public JsonLimits limits() {
    return reader.limits();
  }

  /**
   * The validated key for {@code public_key_hex}, from the cache when it was decoded before.
   *
   * @throws KasComputeException {@code malformed_hex}, {@code wrong_length} or {@code
   *     invalid_public_key}
   */
  public NodePublicKey publicKey(String publicKeyHex) {
    return keyCache.get(publicKeyHex, NodePublicKey::fromHex);
  }

  /**
   * Verifies a job proof offline against the key it carries ({@code public_key_hex}), trying the
   * digest scheme and then the launcher scheme.
   */
  public Verdict verifyJobProof(JobProofSubmission submission) {
    return verifyJobProof(submission, BOTH);
  }

  /**
   * Verifies a job proof offline against the key it carries, trying only the given schemes (an
   * auditor that knows the scheme a ledger entry declares passes just that one).
   */
  public Verdict verifyJobProof(JobProofSubmission submission, Set<SignatureScheme> schemes) {
    try {
      Proof p = decode(submission);
      String keyHex = submission.publicKeyHex()
          .orElseThrow(() -> Fields.missing("public_key_hex"));
      NodePublicKey cached = keyCache.get(keyHex);
      byte[] keyBytes =
          cached == null ? HexCodec.decode("public_key_hex", keyHex, Ed25519Ops.PUBLIC_KEY_SIZE) : null;
      Verdict mismatch = checkHash(p);
      if (mismatch != null) {
        return mismatch;
      }
      NodePublicKey key = cached != null ? cached : keyCache.put(keyHex, NodePublicKey.of(keyBytes));
      return verify(p, key, schemes);
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /**
   * Verifies a job proof against a key the caller trusts (a coordinator's pinned key of the node,
   * or of its {@code miner_id}), ignoring any {@code public_key_hex} the submission carries, in
   * the given schemes.
   */
  public Verdict verifyJobProof(
      JobProofSubmission submission, NodePublicKey key, Set<SignatureScheme> schemes) {
    Objects.requireNonNull(key, "key");
    try {
      Proof p = decode(submission);
      Verdict mismatch = checkHash(p);
      return mismatch != null ? mismatch : verify(p, key, schemes);
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /** Verifies a job proof given as UTF-8 JSON bytes (for example one JSON line) with its own key. */
  public Verdict verifyJobProofJson(byte[] json) {
    return verifyJobProofJson(json, 0, json.length);
  }

  /** Verifies a job proof held in {@code len} bytes of {@code json} from {@code off} with its own key. */
  public Verdict verifyJobProofJson(byte[] json, int off, int len) {
    try {
      return verifyJobProof(parseJobProof(json, off, len));
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /**
   * Parses a job proof record with this verifier's strict JSON reader.
   *
   * @throws KasComputeException a JSON reading or field code
   */
  public JobProofSubmission parseJobProof(byte[] json, int off, int len) {
    return JobProofSubmission.fromJson(Fields.object(reader.read(json, off, len), "job proof"));
  }

  /**
   * Verifies a task proof (digest scheme only): a present {@code proof_hash} must be the payload's
   * digest, and the signature must verify over it under {@code key}.
   */
  public Verdict verifyTaskProof(
      TaskProofPayload payload, Optional<String> proofHashHex, String signatureHex,
      NodePublicKey key) {
    try {
      Optional<byte[]> claimed =
          proofHashHex.map(h -> HexCodec.decode("proof_hash", h, Sha256Digest.LENGTH));
      byte[] sig = HexCodec.decode("signature", signatureHex, Ed25519Ops.SIGNATURE_SIZE);
      Sha256Digest digest = payload.digest();
      if (claimed.isPresent() && !digest.matches(claimed.get())) {
        return hashMismatch(proofHashHex.get(), digest);
      }
      byte[] d = digest.toByteArray();
      return Ed25519Ops.verify(key.decoded(), sig, d, 0, d.length)
          ? Verdict.valid(SignatureScheme.DIGEST)
          : Verdict.invalid(ErrorCode.BAD_SIGNATURE, "the signature does not verify over the task proof digest");
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /**
   * Verifies a heartbeat's {@code signature_hex} under {@code key}: first over the digest of the
   * SDK's heartbeat payload, then over the launcher's {@code hb|node_id|compute_profile|timestamp_unix}.
   */
  public Verdict verifyHeartbeat(
      HeartbeatPayload payload, LauncherHeartbeat launcher, String signatureHex,
      NodePublicKey key) {
    try {
      byte[] sig = HexCodec.decode("signature_hex", signatureHex, Ed25519Ops.SIGNATURE_SIZE);
      byte[] d = payload.digest().toByteArray();
      if (Ed25519Ops.verify(key.decoded(), sig, d, 0, d.length)) {
        return Verdict.valid(SignatureScheme.DIGEST);
      }
      byte[] m = launcher.message();
      if (Ed25519Ops.verify(key.decoded(), sig, m, 0, m.length)) {
        return Verdict.valid(SignatureScheme.LAUNCHER);
      }
      return Verdict.invalid(ErrorCode.BAD_SIGNATURE,
          "the heartbeat signature verifies neither over the heartbeat payload digest nor over the"
              + " launcher's hb| message");
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /** A job proof with its hex decoded. */
  private record Proof(
      JobProofSubmission submission, Sha256Digest digest, byte[] claimedHash, byte[] signature) {}

  private static Proof decode(JobProofSubmission s) {
    byte[] claimed = s.proofHash()
        .map(h -> HexCodec.decode("proof_hash", h, Sha256Digest.LENGTH)).orElse(null);
    byte[] sig = HexCodec.decode("signature", s.signature(), Ed25519Ops.SIGNATURE_SIZE);
    Sha256Digest digest = s.digestPayload().map(JobProofPayload::digest).orElse(null);
    return new Proof(s, digest, claimed, sig);
  }

  /** The hash-mismatch verdict if a {@code proof_hash} is sent and differs; null otherwise. */
  private static Verdict checkHash(Proof p) {
    if (p.claimedHash == null || p.digest != null && p.digest.matches(p.claimedHash)) {
      return null;
    }
    if (p.digest == null) {
      throw new KasComputeException(ErrorCode.MISSING_FIELD,
          "field elapsed_ms is required: the proof carries a proof_hash, so it claims the digest"
              + " scheme, whose payload includes elapsed_ms");
    }
    return hashMismatch(p.submission.proofHash().get(), p.digest);
  }

  private static Verdict verify(Proof p, NodePublicKey key, Set<SignatureScheme> schemes) {
    boolean digest = schemes.contains(SignatureScheme.DIGEST) && p.digest != null;
    boolean launcher =
        schemes.contains(SignatureScheme.LAUNCHER) && p.submission.minerId().isEmpty();
    if (!digest && !launcher) {
      if (schemes.contains(SignatureScheme.DIGEST)) {
        throw new KasComputeException(ErrorCode.MISSING_FIELD,
            "field elapsed_ms is required to rebuild a digest-scheme payload");
      }
      return Verdict.invalid(ErrorCode.BAD_SIGNATURE,
          "the launcher scheme does not sign miner_id, so it cannot verify a proof that has one");
    }
    if (digest) {
      byte[] d = p.digest.toByteArray();
      if (Ed25519Ops.verify(key.decoded(), p.signature, d, 0, d.length)) {
        return Verdict.valid(SignatureScheme.DIGEST);
      }
    }
    if (launcher) {
      byte[] m = p.submission.launcherMessage().message();
      if (Ed25519Ops.verify(key.decoded(), p.signature, m, 0, m.length)) {
        return Verdict.valid(SignatureScheme.LAUNCHER);
      }
    }
    return Verdict.invalid(ErrorCode.BAD_SIGNATURE, digest && launcher
        ? "the signature verifies neither over the payload digest nor over the launcher's pf| message"
        : digest ? "the signature does not verify over the payload digest"
            : "the signature does not verify over the launcher's pf| message");
  }

  private static Verdict hashMismatch(String sent, Sha256Digest digest) {
    return Verdict.invalid(ErrorCode.HASH_MISMATCH,
        "proof_hash " + sent + " is not the SHA-256 of the payload bytes (" + digest.hex() + ")");
  }
}
