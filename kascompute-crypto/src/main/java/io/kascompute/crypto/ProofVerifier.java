package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.HeartbeatPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.wire.TaskProofPayload;
import io.kascompute.crypto.internal.Ed25519Ops;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stateless, offline verification of job proofs, task proofs and heartbeat signatures, returning a
 * {@link Verdict}. Safe to share between threads; decoded public keys are kept in a bounded cache
 * because auditors see the same node keys again and again.
 *
 * <p>Order of checks (the first failure is the reason): the payload fields ({@code
 * missing_field}, {@code wrong_type}, {@code field_out_of_range}, {@code invalid_id}); the hex of
 * {@code proof_hash}, {@code signature}, {@code public_key_hex} in that order ({@code
 * malformed_hex}, {@code wrong_length}); {@code proof_hash} against SHA-256 of the rebuilt payload
 * bytes ({@code hash_mismatch}); the public key ({@code invalid_public_key}); the signature over
 * the 32-byte digest ({@code bad_signature}).
 */
public final class ProofVerifier {
  /** The default number of decoded public keys kept. */
  public static final int DEFAULT_KEY_CACHE_SIZE = 4096;

  private final StrictJsonReader reader;
  private final int keyCacheSize;
  private final ConcurrentHashMap<String, NodePublicKey> keyCache = new ConcurrentHashMap<>();

  private ProofVerifier(StrictJsonReader reader, int keyCacheSize) {
    this.reader = reader;
    this.keyCacheSize = keyCacheSize;
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

  /** Verifies a parsed job proof submission. */
  public Verdict verifyJobProof(JobProofSubmission submission) {
    try {
      return check(
          submission.payload().digest(),
          submission.proofHash(),
          submission.signature(),
          submission.publicKeyHex());
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /** Verifies a job proof request body given as UTF-8 JSON bytes (for example one JSON line). */
  public Verdict verifyJobProofJson(byte[] json) {
    return verifyJobProofJson(json, 0, json.length);
  }

  /** Verifies a job proof request body held in {@code len} bytes of {@code json} from {@code off}. */
  public Verdict verifyJobProofJson(byte[] json, int off, int len) {
    try {
      return verifyJobProof(parseJobProof(json, off, len));
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /** Parses a job proof request body with this verifier's strict JSON reader. */
  public JobProofSubmission parseJobProof(byte[] json, int off, int len) {
    return JobProofSubmission.fromJson(
        Fields.object(reader.read(json, off, len), "job proof"), OptionalLong.empty());
  }

  /** Verifies a task proof: its three cryptographic fields against the rebuilt payload. */
  public Verdict verifyTaskProof(
      TaskProofPayload payload, String proofHashHex, String signatureHex, String publicKeyHex) {
    try {
      return check(payload.digest(), proofHashHex, signatureHex, publicKeyHex);
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /** Verifies a heartbeat's {@code signature_hex} under the payload's own {@code public_key_hex}. */
  public Verdict verifyHeartbeat(HeartbeatPayload payload, String signatureHex) {
    try {
      Sha256Digest digest = payload.digest();
      byte[] sig = HexCodec.decode("signature_hex", signatureHex, 64);
      NodePublicKey key = key(payload.publicKeyHex());
      return signatureVerdict(key, digest, sig);
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  private Verdict check(Sha256Digest digest, String proofHash, String signature, String keyHex) {
    byte[] claimed = HexCodec.decode("proof_hash", proofHash, Sha256Digest.LENGTH);
    byte[] sig = HexCodec.decode("signature", signature, 64);
    NodePublicKey cached = keyCache.get(keyHex);
    byte[] keyBytes = cached == null ? HexCodec.decode("public_key_hex", keyHex, 32) : null;
    if (!digest.matches(claimed)) {
      return Verdict.invalid(
          ErrorCode.HASH_MISMATCH,
          "proof_hash " + proofHash + " is not the SHA-256 of the payload bytes (" + digest.hex()
              + ")");
    }
    NodePublicKey key = cached != null ? cached : remember(keyHex, NodePublicKey.of(keyBytes));
    return signatureVerdict(key, digest, sig);
  }

  private static Verdict signatureVerdict(NodePublicKey key, Sha256Digest digest, byte[] sig) {
    byte[] d = digest.toByteArray();
    return Ed25519Ops.verify(key.decoded(), sig, d, 0, d.length)
        ? Verdict.valid()
        : Verdict.invalid(ErrorCode.BAD_SIGNATURE, "the signature does not verify over the digest");
  }

  private NodePublicKey key(String keyHex) {
    NodePublicKey cached = keyCache.get(keyHex);
    return cached != null ? cached : remember(keyHex, NodePublicKey.fromHex(keyHex));
  }

  private NodePublicKey remember(String keyHex, NodePublicKey key) {
    if (keyCacheSize > 0) {
      if (keyCache.size() >= keyCacheSize) {
        keyCache.clear();
      }
      keyCache.put(keyHex, key);
    }
    return key;
  }
}
