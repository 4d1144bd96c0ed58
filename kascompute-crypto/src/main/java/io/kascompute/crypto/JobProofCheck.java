package io.kascompute.crypto;

import static io.kascompute.crypto.internal.ProofLineScanner.CLIENT_VERSION;
import static io.kascompute.crypto.internal.ProofLineScanner.ELAPSED_MS;
import static io.kascompute.crypto.internal.ProofLineScanner.JOB_ID;
import static io.kascompute.crypto.internal.ProofLineScanner.MINER_ID;
import static io.kascompute.crypto.internal.ProofLineScanner.NODE_ID;
import static io.kascompute.crypto.internal.ProofLineScanner.PROOF_HASH;
import static io.kascompute.crypto.internal.ProofLineScanner.PROOF_HASH_HEX;
import static io.kascompute.crypto.internal.ProofLineScanner.PUBLIC_KEY_HEX;
import static io.kascompute.crypto.internal.ProofLineScanner.SIGNATURE;
import static io.kascompute.crypto.internal.ProofLineScanner.SIGNATURE_HEX;
import static io.kascompute.crypto.internal.ProofLineScanner.TIMESTAMP_UNIX;
import static io.kascompute.crypto.internal.ProofLineScanner.TS;
import static io.kascompute.crypto.internal.ProofLineScanner.WORKLOAD_MODE;
import static io.kascompute.crypto.internal.ProofLineScanner.WORK_UNITS;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.internal.Ed25519Ops;
import io.kascompute.crypto.internal.ProofLineScanner;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The checks of one job proof after its fields are read, on buffers that are reused proof after
 * proof: the only place that decides the order of checks and the reason of a refusal, whether the
 * proof came as a {@link JobProofSubmission} or as a line read by {@link ProofLineScanner}.
 *
 * <p>Order: {@link #fill} decodes the hex of {@code proof_hash} (when present) and of the
 * signature, then builds the digest payload (when {@code elapsed_ms} lets it be rebuilt) and the
 * launcher message (when there is no {@code miner_id}); {@link #fillRecordKey} decodes the hex of
 * {@code public_key_hex}; {@link #checkHash} compares a present {@code proof_hash}; the caller
 * resolves the key ({@code invalid_public_key}); {@link #checkSignature} tries the schemes. Not
 * thread-safe.
 */
final class JobProofCheck {
  private static final byte[] NODE_ID_KEY = ascii("{\"node_id\":\"");
  private static final byte[] MINER_ID_KEY = ascii("\",\"miner_id\":\"");
  private static final byte[] JOB_ID_KEY = ascii("\",\"job_id\":");
  private static final byte[] WORK_UNITS_KEY = ascii(",\"work_units\":");
  private static final byte[] WORKLOAD_MODE_KEY = ascii(",\"workload_mode\":\"");
  private static final byte[] ELAPSED_MS_KEY = ascii("\",\"elapsed_ms\":");
  private static final byte[] CLIENT_VERSION_KEY = ascii(",\"client_version\":\"");
  private static final byte[] TS_KEY = ascii("\",\"ts\":");
  private static final byte[] DEFAULT_WORKLOAD_MODE = ascii(JobProofPayload.DEFAULT_WORKLOAD_MODE);
  private static final byte[] DEFAULT_CLIENT_VERSION = ascii(JobProofPayload.DEFAULT_CLIENT_VERSION);
  private static final int FIXED_PAYLOAD_BYTES = 160;

  private final MessageDigest sha = Sha256Digest.newMessageDigest();
  private final byte[] claimed = new byte[Sha256Digest.LENGTH];
  private final byte[] digest = new byte[Sha256Digest.LENGTH];
  private final byte[] signature = new byte[Ed25519Ops.SIGNATURE_SIZE];
  private final byte[] publicKey = new byte[Ed25519Ops.PUBLIC_KEY_SIZE];
  private byte[] payload = new byte[256];
  private int payloadLength;
  private byte[] launcher = new byte[128];
  private int launcherLength;
  private boolean hasClaimed;
  private boolean hasPayload;
  private boolean launcherApplies;
  private String claimedText;
  private byte[] claimedSource;
  private int claimedStart;
  private int claimedEnd;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads a submission: the hex of {@code proof_hash} and of the signature, the digest payload and
   * the launcher message.
   *
   * @throws KasComputeException {@code malformed_hex}, {@code wrong_length}, or {@code
   *     invalid_utf8} for a string with a lone surrogate
   */
  void fill(JobProofSubmission s) {
    hasClaimed = s.proofHash().isPresent();
    if (hasClaimed) {
      claimedText = s.proofHash().get();
      decodeHex("proof_hash", claimedText, claimed);
    }
    decodeHex("signature", s.signature(), signature);
    hasPayload = s.elapsedMs().isPresent();
    if (hasPayload) {
      payload = s.digestPayload().orElseThrow().canonicalBytes();
      payloadLength = payload.length;
    }
    launcherApplies = s.minerId().isEmpty();
    if (launcherApplies) {
      launcher = s.launcherMessage().message();
      launcherLength = launcher.length;
    }
  }

  /** Reads the hex of the submission's own key ({@code public_key_hex}). */
  void fillRecordKey(String publicKeyHex) {
    decodeHex("public_key_hex", publicKeyHex, publicKey);
  }

  /**
   * Reads a line that {@code scanner} accepted: the hex of {@code proof_hash}, the signature and
   * {@code public_key_hex}, the digest payload and the launcher message; returns the {@code
   * malformed_hex} or {@code wrong_length} verdict of the first hex field that is not hex of its
   * length, or null (a refusal is a value here, not an exception: a log full of bad lines stays
   * cheap to audit).
   */
  Verdict fill(ProofLineScanner scanner) {
    byte[] src = scanner.source();
    int hash = scanner.either(PROOF_HASH_HEX, PROOF_HASH);
    hasClaimed = hash >= 0;
    Verdict bad = hasClaimed
        ? decodeHex("proof_hash", src, scanner.start(hash), scanner.end(hash), claimed) : null;
    if (bad == null) {
      int sig = scanner.either(SIGNATURE_HEX, SIGNATURE);
      bad = decodeHex("signature", src, scanner.start(sig), scanner.end(sig), signature);
    }
    if (bad == null) {
      bad = decodeHex("public_key_hex", src, scanner.start(PUBLIC_KEY_HEX),
          scanner.end(PUBLIC_KEY_HEX), publicKey);
    }
    if (bad != null) {
      return bad;
    }
    int ts = scanner.either(TIMESTAMP_UNIX, TS);
    hasPayload = scanner.has(ELAPSED_MS);
    if (hasPayload) {
      buildPayload(scanner, ts);
    }
    launcherApplies = !scanner.has(MINER_ID);
    if (launcherApplies) {
      buildLauncherMessage(scanner, ts);
    }
    claimedText = null;
    claimedSource = src;
    claimedStart = hasClaimed ? scanner.start(hash) : 0;
    claimedEnd = hasClaimed ? scanner.end(hash) : 0;
    return null;
  }

  private void buildPayload(ProofLineScanner s, int ts) {
    int need = FIXED_PAYLOAD_BYTES + length(s, NODE_ID) + length(s, MINER_ID)
        + length(s, WORKLOAD_MODE) + length(s, CLIENT_VERSION) + length(s, JOB_ID)
        + length(s, WORK_UNITS) + length(s, ELAPSED_MS) + length(s, ts);
    if (payload.length < need) {
      payload = new byte[Math.max(need, payload.length * 2)];
    }
    byte[] out = payload;
    int p = put(out, 0, NODE_ID_KEY);
    p = s.write(NODE_ID, out, p, true);
    if (s.has(MINER_ID)) {
      p = put(out, p, MINER_ID_KEY);
      p = s.write(MINER_ID, out, p, true);
    }
    p = put(out, p, JOB_ID_KEY);
    p = s.copyRaw(JOB_ID, out, p);
    p = put(out, p, WORK_UNITS_KEY);
    p = s.copyRaw(WORK_UNITS, out, p);
    p = put(out, p, WORKLOAD_MODE_KEY);
    p = s.has(WORKLOAD_MODE) ? s.write(WORKLOAD_MODE, out, p, true)
        : put(out, p, DEFAULT_WORKLOAD_MODE);
    p = put(out, p, ELAPSED_MS_KEY);
    p = s.copyRaw(ELAPSED_MS, out, p);
    p = put(out, p, CLIENT_VERSION_KEY);
    p = s.has(CLIENT_VERSION) ? s.write(CLIENT_VERSION, out, p, true)
        : put(out, p, DEFAULT_CLIENT_VERSION);
    p = put(out, p, TS_KEY);
    p = s.copyRaw(ts, out, p);
    out[p++] = '}';
    payloadLength = p;
  }

  private void buildLauncherMessage(ProofLineScanner s, int ts) {
    int need = 8 + length(s, NODE_ID) + length(s, JOB_ID) + length(s, WORK_UNITS) + length(s, ts);
    if (launcher.length < need) {
      launcher = new byte[Math.max(need, launcher.length * 2)];
    }
    byte[] out = launcher;
    out[0] = 'p';
    out[1] = 'f';
    out[2] = '|';
    int p = s.write(NODE_ID, out, 3, false);
    out[p++] = '|';
    p = s.copyRaw(JOB_ID, out, p);
    out[p++] = '|';
    p = s.copyRaw(WORK_UNITS, out, p);
    out[p++] = '|';
    p = s.copyRaw(ts, out, p);
    launcherLength = p;
  }

  private static int length(ProofLineScanner s, int field) {
    return s.has(field) ? s.end(field) - s.start(field) : 0;
  }

  private static int put(byte[] out, int p, byte[] bytes) {
    System.arraycopy(bytes, 0, out, p, bytes.length);
    return p + bytes.length;
  }

  /**
   * The {@code hash_mismatch} verdict if a {@code proof_hash} was sent and is not the SHA-256 of
   * the rebuilt payload; null if there is none or it matches.
   *
   * @throws KasComputeException {@code missing_field} for a {@code proof_hash} without {@code
   *     elapsed_ms}, whose payload cannot be rebuilt
   */
  Verdict checkHash() {
    if (hasPayload) {
      sha.update(payload, 0, payloadLength);
      try {
        sha.digest(digest, 0, digest.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 writes 32 bytes", e);
      }
    }
    if (!hasClaimed) {
      return null;
    }
    if (!hasPayload) {
      throw new KasComputeException(ErrorCode.MISSING_FIELD,
          "field elapsed_ms is required: the proof carries a proof_hash, so it claims the digest"
              + " scheme, whose payload includes elapsed_ms");
    }
    if (MessageDigest.isEqual(claimed, digest)) {
      return null;
    }
    String sent = claimedText != null ? claimedText
        : new String(claimedSource, claimedStart, claimedEnd - claimedStart, StandardCharsets.UTF_8);
    return Verdict.invalid(ErrorCode.HASH_MISMATCH, "proof_hash " + sent
        + " is not the SHA-256 of the payload bytes (" + HexCodec.encode(digest) + ")");
  }

  /** The 32 bytes of the record's own key, decoded by {@link #fill(ProofLineScanner)} or {@link #fillRecordKey}. */
  byte[] recordKey() {
    return publicKey;
  }

  /**
   * Tries the signature in the allowed schemes that apply: the digest scheme when the payload
   * could be rebuilt, the launcher scheme when the proof has no {@code miner_id}. A proof that
   * carries a {@code proof_hash} is tried in the digest scheme first, one without in the launcher
   * scheme first; the order decides nothing but the work done, since one signature cannot verify
   * over two different messages.
   *
   * @throws KasComputeException {@code missing_field} when the digest scheme is allowed but
   *     neither scheme applies (a {@code miner_id} and no {@code elapsed_ms})
   */
  Verdict checkSignature(Ed25519Ops.DecodedKey key, Set<SignatureScheme> schemes) {
    boolean digestScheme = hasPayload && schemes.contains(SignatureScheme.DIGEST);
    boolean launcherScheme = launcherApplies && schemes.contains(SignatureScheme.LAUNCHER);
    if (!digestScheme && !launcherScheme) {
      if (schemes.contains(SignatureScheme.DIGEST)) {
        throw new KasComputeException(ErrorCode.MISSING_FIELD,
            "field elapsed_ms is required to rebuild a digest-scheme payload");
      }
      return Verdict.invalid(ErrorCode.BAD_SIGNATURE,
          "the launcher scheme does not sign miner_id, so it cannot verify a proof that has one");
    }
    boolean launcherFirst = !hasClaimed;
    if (launcherFirst && launcherScheme && verifyLauncher(key)) {
      return Verdict.valid(SignatureScheme.LAUNCHER);
    }
    if (digestScheme && Ed25519Ops.verify(key, signature, 0, digest, 0, digest.length)) {
      return Verdict.valid(SignatureScheme.DIGEST);
    }
    if (!launcherFirst && launcherScheme && verifyLauncher(key)) {
      return Verdict.valid(SignatureScheme.LAUNCHER);
    }
    return Verdict.invalid(ErrorCode.BAD_SIGNATURE, digestScheme && launcherScheme
        ? "the signature verifies neither over the payload digest nor over the launcher's pf| message"
        : digestScheme ? "the signature does not verify over the payload digest"
            : "the signature does not verify over the launcher's pf| message");
  }

  private boolean verifyLauncher(Ed25519Ops.DecodedKey key) {
    return Ed25519Ops.verify(key, signature, 0, launcher, 0, launcherLength);
  }

  /** Hex of either case into {@code out}, with {@link HexCodec}'s codes and messages. */
  private static void decodeHex(String field, String hex, byte[] out) {
    int n = hex.length();
    if ((n & 1) != 0) {
      throw oddHex(field);
    }
    for (int i = 0; i < n; i++) {
      if (ProofLineScanner.hexDigit(hex.charAt(i)) < 0) {
        throw nonHex(field, i);
      }
    }
    if (n != 2 * out.length) {
      throw wrongLength(field, out.length, n / 2);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (ProofLineScanner.hexDigit(hex.charAt(2 * i)) << 4
          | ProofLineScanner.hexDigit(hex.charAt(2 * i + 1)));
    }
  }

  /**
   * Hex of either case from the bytes {@code s..e} of a line into {@code out}; the refusal {@link
   * HexCodec} would give the same text, or null.
   */
  private static Verdict decodeHex(String field, byte[] b, int s, int e, byte[] out) {
    int n = e - s;
    if ((n & 1) != 0) {
      return Verdict.invalid(ErrorCode.MALFORMED_HEX, oddHexMessage(field));
    }
    if (n != 2 * out.length) {
      for (int i = s; i < e; i++) {
        if (ProofLineScanner.hexDigit(b[i]) < 0) {
          return Verdict.invalid(ErrorCode.MALFORMED_HEX, nonHexMessage(field, i - s));
        }
      }
      return Verdict.invalid(ErrorCode.WRONG_LENGTH, wrongLengthMessage(field, out.length, n / 2));
    }
    for (int i = 0; i < out.length; i++) {
      int hi = ProofLineScanner.hexDigit(b[s + 2 * i]);
      int lo = ProofLineScanner.hexDigit(b[s + 2 * i + 1]);
      if ((hi | lo) < 0) {
        return Verdict.invalid(ErrorCode.MALFORMED_HEX,
            nonHexMessage(field, 2 * i + (hi < 0 ? 0 : 1)));
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return null;
  }

  private static KasComputeException oddHex(String field) {
    return new KasComputeException(ErrorCode.MALFORMED_HEX, oddHexMessage(field));
  }

  private static KasComputeException nonHex(String field, int at) {
    return new KasComputeException(ErrorCode.MALFORMED_HEX, nonHexMessage(field, at));
  }

  private static KasComputeException wrongLength(String field, int length, int got) {
    return new KasComputeException(ErrorCode.WRONG_LENGTH, wrongLengthMessage(field, length, got));
  }

  private static String oddHexMessage(String field) {
    return field + " has an odd number of hex characters";
  }

  private static String nonHexMessage(String field, int at) {
    return field + " has a non-hex character at " + at;
  }

  private static String wrongLengthMessage(String field, int length, int got) {
    return field + " must be " + length + " bytes (" + 2 * length + " hex characters), got " + got
        + " bytes";
  }
}
