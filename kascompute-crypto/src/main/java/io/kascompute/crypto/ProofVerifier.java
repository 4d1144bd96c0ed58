package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.LruCache;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.internal.Ed25519Ops;
import io.kascompute.crypto.internal.KeyTable;
import io.kascompute.crypto.internal.ProofLineScanner;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Stateless, offline verification of job proofs, task proofs and heartbeat signatures in both
 * schemes of the field ({@link SignatureScheme#DIGEST} and {@link SignatureScheme#LAUNCHER}),
 * returning a {@link Verdict} that names the scheme that verified. Safe to share between threads;
 * decoded public keys are kept in a bounded LRU cache because auditors see the same node keys
 * again and again.
 *
 * <p>Job proofs: the first failing check is the reason, in this order: the record's JSON and
 * fields ({@code malformed_json} and the other reading codes, {@code missing_field}, {@code
 * wrong_type}, {@code field_out_of_range}, {@code duplicate_field}; offline, {@code
 * public_key_hex} is required); the hex of {@code proof_hash} (when present), of the signature and
 * of {@code public_key_hex} ({@code malformed_hex}, {@code wrong_length}); a present {@code
 * proof_hash} against the SHA-256 of the payload rebuilt with V1's defaults ({@code
 * hash_mismatch}; {@code missing_field} when there is no {@code elapsed_ms} to rebuild it with);
 * the public key ({@code invalid_public_key}); the signature ({@code bad_signature}), over the
 * 32-byte payload digest (digest scheme, when {@code elapsed_ms} is there) and over {@code
 * pf|node_id|job_id|work_units|ts} (launcher scheme, only without {@code miner_id}). A proof with
 * a {@code proof_hash} is tried in the digest scheme first, one without in the launcher scheme
 * first: one signature cannot verify over two messages, so the order changes no verdict, only the
 * work. Any string is a valid id: verification agrees with deployed V1 on every proof V1 accepts
 * (see the deviations in {@code docs/spec/proofs.md}).
 */
public final class ProofVerifier {
  /** The default number of decoded public keys kept. */
  public static final int DEFAULT_KEY_CACHE_SIZE = 4096;

  private static final Set<SignatureScheme> BOTH = EnumSet.allOf(SignatureScheme.class);

  private final JsonLimits limits;
  private final LruCache<String, NodePublicKey> keyCache;
  private final int keyCacheSize;
  private volatile StrictJsonReader reader;

  private ProofVerifier(JsonLimits limits, int keyCacheSize) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.keyCache = new LruCache<>(keyCacheSize);
    this.keyCacheSize = keyCacheSize;
  }

  /** A verifier with default JSON limits and key cache size. */
  public static ProofVerifier create() {
    return new ProofVerifier(JsonLimits.DEFAULT, DEFAULT_KEY_CACHE_SIZE);
  }

  /** A verifier with the given JSON limits and key cache size (0 disables the cache). */
  public static ProofVerifier create(JsonLimits limits, int keyCacheSize) {
    if (keyCacheSize < 0) {
      throw new IllegalArgumentException("keyCacheSize must be >= 0, got " + keyCacheSize);
    }
    return new ProofVerifier(limits, keyCacheSize);
  }

  /** The JSON limits this verifier reads with. */
  public JsonLimits limits() {
    return limits;
  }

  /**
   * The strict tree reader, built on first use: a well-formed audit log never needs it, so an
   * audit does not load or compile the JSON library at all.
   */
  private StrictJsonReader reader() {
    StrictJsonReader r = reader;
    if (r == null) {
      r = JsonLimits.DEFAULT.equals(limits)
          ? StrictJsonReader.withDefaults() : StrictJsonReader.withLimits(limits);
      reader = r;
    }
    return r;
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
   * digest scheme and the launcher scheme.
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
      String keyHex = submission.publicKeyHex()
          .orElseThrow(() -> Fields.missing("public_key_hex"));
      JobProofCheck check = new JobProofCheck();
      check.fill(submission);
      NodePublicKey cached = keyCache.get(keyHex);
      if (cached == null) {
        check.fillRecordKey(keyHex);
      }
      Verdict mismatch = check.checkHash();
      if (mismatch != null) {
        return mismatch;
      }
      NodePublicKey key =
          cached != null ? cached : keyCache.put(keyHex, NodePublicKey.of(check.recordKey()));
      return check.checkSignature(key.decoded(), schemes);
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
      JobProofCheck check = new JobProofCheck();
      check.fill(submission);
      Verdict mismatch = check.checkHash();
      return mismatch != null ? mismatch : check.checkSignature(key.decoded(), schemes);
    } catch (KasComputeException e) {
      return Verdict.of(e);
    }
  }

  /** Verifies a job proof given as UTF-8 JSON bytes (for example one JSON line) with its own key. */
  public Verdict verifyJobProofJson(byte[] json) {
    return verifyJobProofJson(json, 0, json.length);
  }

  /**
   * Verifies a job proof held in {@code len} bytes of {@code json} from {@code off} with its own
   * key: the same verdict as {@link #parseJobProof} followed by {@link
   * #verifyJobProof(JobProofSubmission)}, without building the record for a well-formed line.
   */
  public Verdict verifyJobProofJson(byte[] json, int off, int len) {
    Objects.checkFromIndexSize(off, len, json.length);
    return verifyLine(json, off, len, new LineState(0)).verdict;
  }

  /**
   * Parses a job proof record as this verifier's strict JSON reader and {@link
   * JobProofSubmission#fromJson} would, with the same refusals and codes, but in one pass over the
   * bytes when the record is well formed.
   *
   * @throws KasComputeException a JSON reading or field code
   */
  public JobProofSubmission parseJobProof(byte[] json, int off, int len) {
    Objects.checkFromIndexSize(off, len, json.length);
    ProofLineScanner scanner = new ProofLineScanner();
    if (scanner.scan(json, off, len, limits.maxBytes())) {
      return submission(scanner);
    }
    return parseStrictly(json, off, len);
  }

  private JobProofSubmission parseStrictly(byte[] json, int off, int len) {
    return JobProofSubmission.fromJson(Fields.object(reader().read(json, off, len), "job proof"));
  }

  private static JobProofSubmission submission(ProofLineScanner s) {
    int ts = s.either(ProofLineScanner.TIMESTAMP_UNIX, ProofLineScanner.TS);
    int hash = s.either(ProofLineScanner.PROOF_HASH_HEX, ProofLineScanner.PROOF_HASH);
    int sig = s.either(ProofLineScanner.SIGNATURE_HEX, ProofLineScanner.SIGNATURE);
    return new JobProofSubmission(
        NodeId.of(s.string(ProofLineScanner.NODE_ID)),
        optionalString(s, ProofLineScanner.MINER_ID),
        s.number(ProofLineScanner.JOB_ID),
        s.number(ProofLineScanner.WORK_UNITS),
        optionalString(s, ProofLineScanner.WORKLOAD_MODE),
        s.has(ProofLineScanner.ELAPSED_MS)
            ? OptionalLong.of(s.number(ProofLineScanner.ELAPSED_MS)) : OptionalLong.empty(),
        optionalString(s, ProofLineScanner.CLIENT_VERSION),
        s.number(ts),
        hash >= 0 ? Optional.of(s.string(hash)) : Optional.empty(),
        s.string(sig),
        Optional.of(s.string(ProofLineScanner.PUBLIC_KEY_HEX)));
  }

  private static Optional<String> optionalString(ProofLineScanner s, int field) {
    return s.has(field) ? Optional.of(s.string(field)) : Optional.empty();
  }

  /** What a bulk verifier needs of one line: the verdict and, when they could be read, the ids. */
  static final class LineOutcome {
    final Verdict verdict;
    final NodeId nodeId;
    final boolean hasJobId;
    final long jobId;
    final long workUnits;

    LineOutcome(Verdict verdict, NodeId nodeId, boolean hasJobId, long jobId, long workUnits) {
      this.verdict = verdict;
      this.nodeId = nodeId;
      this.hasJobId = hasJobId;
      this.jobId = jobId;
      this.workUnits = workUnits;
    }
  }

  /** The buffers one thread reuses line after line: scanner, checks and decoded keys. */
  static final class LineState {
    final ProofLineScanner scanner = new ProofLineScanner();
    final JobProofCheck check = new JobProofCheck();
    final KeyTable keys;

    /** State whose key table keeps {@code keyTableSize} keys (0: use the verifier's cache). */
    LineState(int keyTableSize) {
      this.keys = keyTableSize == 0 ? null : new KeyTable(keyTableSize);
    }
  }

  /** The number of keys a bulk verifier's thread keeps decoded. */
  int keyTableSize() {
    return keyCacheSize;
  }

  /** Verifies one line with its own key; never throws for anything the line holds. */
  LineOutcome verifyLine(byte[] b, int off, int len, LineState state) {
    ProofLineScanner scanner = state.scanner;
    if (!scanner.scan(b, off, len, limits.maxBytes())) {
      return verifyStrictly(b, off, len);
    }
    NodeId nodeId = NodeId.of(scanner.string(ProofLineScanner.NODE_ID));
    long jobId = scanner.number(ProofLineScanner.JOB_ID);
    long workUnits = scanner.number(ProofLineScanner.WORK_UNITS);
    Verdict verdict;
    try {
      JobProofCheck check = state.check;
      verdict = check.fill(scanner);
      if (verdict == null) {
        verdict = check.checkHash();
      }
      if (verdict == null) {
        Ed25519Ops.DecodedKey key = state.keys != null
            ? state.keys.get(check.recordKey(), 0)
            : keyCache.get(HexCodec.encode(check.recordKey()), h -> NodePublicKey.of(check.recordKey()))
                .decoded();
        verdict = check.checkSignature(key, BOTH);
      }
    } catch (KasComputeException e) {
      verdict = Verdict.of(e);
    }
    return new LineOutcome(verdict, nodeId, true, jobId, workUnits);
  }

  /** The strict path: the tree reader, the record, its verdict, and whatever ids could be read. */
  private LineOutcome verifyStrictly(byte[] b, int off, int len) {
    JsonValue tree;
    try {
      tree = reader().read(b, off, len);
    } catch (KasComputeException e) {
      return new LineOutcome(Verdict.of(e), null, false, 0, 0);
    }
    JobProofSubmission submission;
    try {
      submission = JobProofSubmission.fromJson(Fields.object(tree, "job proof"));
    } catch (KasComputeException e) {
      NodeId nodeId = null;
      boolean hasJobId = false;
      long jobId = 0;
      if (tree instanceof JsonObject o) {
        if (o.members().get("node_id") instanceof JsonString s) {
          nodeId = NodeId.of(s.value());
        }
        try {
          OptionalLong j = Fields.optionalU64(o, "job_id");
          hasJobId = j.isPresent();
          jobId = j.orElse(0);
        } catch (KasComputeException notAJobId) {
          hasJobId = false;
        }
      }
      return new LineOutcome(Verdict.of(e), nodeId, hasJobId, jobId, 0);
    }
    return new LineOutcome(verifyJobProof(submission), submission.nodeId(), true,
        submission.jobId(), submission.workUnits());
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

  private static Verdict hashMismatch(String sent, Sha256Digest digest) {
    return Verdict.invalid(ErrorCode.HASH_MISMATCH,
        "proof_hash " + sent + " is not the SHA-256 of the payload bytes (" + digest.hex() + ")");
  }
}
