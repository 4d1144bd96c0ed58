package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A catalogue of bad submissions, each with the exact reason code it must get. */
class ProofVerifierTest {
  private static final ProofVerifier VERIFIER = ProofVerifier.create();
  private static final ProofSigner SIGNER = ProofSigner.of(Rfc8032Test1.KEYS);
  private static final NodeKeyPair OTHER = NodeKeyPair.fromSeed(new byte[32]);
  private static final JobProofSubmission GOOD = SIGNER.signJobProof(Rfc8032Test1.JOB);
  private static final String LINE = new String(GOOD.toJsonBytes(), StandardCharsets.UTF_8);
  private static final String SIG = GOOD.signature();
  private static final String HASH = GOOD.proofHash().orElseThrow();
  private static final String PK = GOOD.publicKeyHex().orElseThrow();
  private static final String SMALL_ORDER_PK =
      "0100000000000000000000000000000000000000000000000000000000000000";
  private static final String NON_CANONICAL_PK =
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static String edit(String from, String to) {
    assertThat(LINE).contains(from);
    return LINE.replace(from, to);
  }

  private static String withSignature(String sigHex) {
    return edit("\"signature\":\"" + SIG + "\"", "\"signature\":\"" + sigHex + "\"");
  }

  private static String signedBy(NodeKeyPair keys, byte[] message, String keyHex) {
    return edit(SIG, HexCodec.encode(Signatures.signRaw(keys, message))).replace(PK, keyHex);
  }

  /** Adds L to the scalar S (little-endian, bytes 32..63): the classic malleated signature. */
  private static String malleated() {
    byte[] sig = HexCodec.decode("sig", SIG);
    byte[] le = Arrays.copyOfRange(sig, 32, 64);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    byte[] sum = new BigInteger(1, be).add(L).toByteArray();
    byte[] out = sig.clone();
    Arrays.fill(out, 32, 64, (byte) 0);
    for (int i = 0; i < Math.min(32, sum.length); i++) {
      out[32 + i] = sum[sum.length - 1 - i];
    }
    return withSignature(HexCodec.encode(out));
  }

  private static String resignedWithHash(String line, JobProofPayload payload) {
    JobProofSubmission s = SIGNER.signJobProof(payload);
    return line.replace(HASH, s.proofHash().orElseThrow()).replace(SIG, s.signature());
  }

  /** The launcher-scheme record of the same job: as the public launcher sends it, with its key. */
  private static final String LAUNCHER_SIG = SIGNER.signLauncherJobProof(
      io.kascompute.core.payload.LauncherJobProof.of(Rfc8032Test1.JOB));
  private static final String LAUNCHER_LINE = "{\"node_id\":\"kc_node_01\",\"job_id\":123,"
      + "\"work_units\":42,\"workload_mode\":\"sim\",\"elapsed_ms\":150,"
      + "\"result_hash\":\"00\",\"client_version\":\"protocol-v1\",\"timestamp_unix\":1710000000,"
      + "\"signature_hex\":\"" + LAUNCHER_SIG + "\",\"public_key_hex\":\"" + PK + "\"}";

  private static String launcher(String from, String to) {
    assertThat(LAUNCHER_LINE).contains(from);
    return LAUNCHER_LINE.replace(from, to);
  }

  static Stream<Arguments> launcherCatalogue() {
    byte[] sig = HexCodec.decode("sig", LAUNCHER_SIG);
    sig[17] ^= 0x04;
    byte[] message = io.kascompute.core.payload.LauncherJobProof.of(Rfc8032Test1.JOB).message();
    String byOther = HexCodec.encode(Signatures.signRaw(OTHER, message));
    return Stream.of(
        Arguments.of("launcher: a flipped signature bit", launcher(LAUNCHER_SIG,
            HexCodec.encode(sig)), ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: signed by a wrong key", launcher(LAUNCHER_SIG, byOther),
            ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: honest signature, another key claimed",
            launcher(PK, OTHER.publicKey().hex()), ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: node_id changed", launcher("kc_node_01", "kc_node_02"),
            ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: job_id changed", launcher("\"job_id\":123", "\"job_id\":124"),
            ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: work_units changed",
            launcher("\"work_units\":42", "\"work_units\":43"), ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: timestamp changed",
            launcher("1710000000", "1710000001"), ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: timestamp_unix and its alias ts", launcher("\"timestamp_unix\"",
            "\"ts\":1710000000,\"timestamp_unix\""), ErrorCode.DUPLICATE_FIELD),
        Arguments.of("launcher: signature_hex and its alias signature", launcher("\"signature_hex\"",
            "\"signature\":\"" + LAUNCHER_SIG + "\",\"signature_hex\""), ErrorCode.DUPLICATE_FIELD),
        Arguments.of("launcher: timestamp_unix missing",
            launcher("\"timestamp_unix\":1710000000,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("launcher: timestamp_unix null",
            launcher("\"timestamp_unix\":1710000000", "\"timestamp_unix\":null"),
            ErrorCode.MISSING_FIELD),
        Arguments.of("launcher: signature_hex missing",
            launcher("\"signature_hex\":\"" + LAUNCHER_SIG + "\",", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("launcher: public_key_hex missing (offline, the record's key is needed)",
            launcher(",\"public_key_hex\":\"" + PK + "\"", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("launcher: a miner_id, which the launcher scheme cannot sign",
            launcher("\"job_id\"", "\"miner_id\":\"m\",\"job_id\""), ErrorCode.BAD_SIGNATURE),
        Arguments.of("launcher: a miner_id and no elapsed_ms: no scheme applies",
            launcher("\"job_id\"", "\"miner_id\":\"m\",\"job_id\"").replace("\"elapsed_ms\":150,", ""),
            ErrorCode.MISSING_FIELD),
        Arguments.of("launcher: a proof_hash without elapsed_ms", launcher("\"elapsed_ms\":150,",
            "\"proof_hash\":\"" + HASH + "\","), ErrorCode.MISSING_FIELD),
        Arguments.of("launcher: a wrong proof_hash, which V1 would ignore",
            launcher("\"result_hash\"", "\"proof_hash_hex\":\"" + "ab".repeat(32) + "\",\"result_hash\""),
            ErrorCode.HASH_MISMATCH),
        Arguments.of("launcher: signature one byte short",
            launcher(LAUNCHER_SIG, LAUNCHER_SIG.substring(2)), ErrorCode.WRONG_LENGTH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("launcherCatalogue")
  void refusesLauncherProofsWithTheExactReason(String name, String line, ErrorCode expected) {
    refusesWithTheExactReason(name, line, expected);
  }

  @Test
  void launcherProofsVerifyWhateverTheUnsignedFieldsSay() {
    assertThat(VERIFIER.verifyJobProofJson(LAUNCHER_LINE.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    String bare = "{\"node_id\":\"kc_node_01\",\"job_id\":123,\"work_units\":42,\"ts\":1710000000,"
        + "\"signature\":\"" + LAUNCHER_SIG + "\",\"public_key_hex\":\"" + PK + "\"}";
    String unsignedChanged = launcher("\"elapsed_ms\":150", "\"elapsed_ms\":99")
        .replace("\"sim\"", "\"gpu\"").replace("protocol-v1", "anything");
    for (String line : List.of(bare, unsignedChanged)) {
      assertThat(VERIFIER.verifyJobProofJson(line.getBytes(StandardCharsets.UTF_8))).as(line)
          .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    }
    JobProofSubmission parsed = VERIFIER.parseJobProof(bare.getBytes(StandardCharsets.UTF_8), 0,
        bare.length());
    assertThat(VERIFIER.verifyJobProof(parsed, Rfc8032Test1.KEYS.publicKey(),
        java.util.EnumSet.of(SignatureScheme.DIGEST)).reason()).contains(ErrorCode.MISSING_FIELD);
    assertThat(VERIFIER.verifyJobProof(parsed, Rfc8032Test1.KEYS.publicKey(),
        java.util.EnumSet.of(SignatureScheme.LAUNCHER))).isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    assertThat(VERIFIER.verifyJobProof(parsed, OTHER.publicKey(),
        java.util.EnumSet.allOf(SignatureScheme.class)).reason()).contains(ErrorCode.BAD_SIGNATURE);
  }

  static Stream<Arguments> catalogue() {
    JobProofPayload gpu = new JobProofPayload(NodeId.of("kc_node_01"), Optional.empty(), 123, 42,
        "gpu", 150, "launcher-miner/0.2.0", 1_710_000_000L);
    String gpuLine = resignedWithHash(edit("\"sim\"", "\"gpu\""), gpu);
    byte[] digest = Rfc8032Test1.JOB.digest().toByteArray();
    return Stream.of(
        Arguments.of("not json", "{\"node_id\":", ErrorCode.MALFORMED_JSON),
        Arguments.of("array body", "[" + LINE + "]", ErrorCode.WRONG_TYPE),
        Arguments.of("duplicate key", edit("{\"node_id\"", "{\"job_id\":1,\"node_id\""),
            ErrorCode.DUPLICATE_KEY),
        Arguments.of("trailing data", LINE + "{}", ErrorCode.TRAILING_DATA),
        Arguments.of("missing node_id", edit("\"node_id\":\"kc_node_01\",", ""),
            ErrorCode.MISSING_FIELD),
        Arguments.of("missing job_id", edit("\"job_id\":123,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("missing work_units", edit("\"work_units\":42,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("missing elapsed_ms", edit("\"elapsed_ms\":150,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("missing ts", edit("\"ts\":1710000000,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("ts and its alias timestamp_unix", edit("\"ts\":1710000000,",
            "\"ts\":1710000000,\"timestamp_unix\":1710000000,"), ErrorCode.DUPLICATE_FIELD),
        Arguments.of("signature and its alias signature_hex", edit("\"signature\":",
            "\"signature_hex\":\"" + SIG + "\",\"signature\":"), ErrorCode.DUPLICATE_FIELD),
        Arguments.of("proof_hash and its alias proof_hash_hex", edit("\"proof_hash\":",
            "\"proof_hash_hex\":\"" + HASH + "\",\"proof_hash\":"), ErrorCode.DUPLICATE_FIELD),
        Arguments.of("null ts", edit("\"ts\":1710000000", "\"ts\":null"), ErrorCode.MISSING_FIELD),
        Arguments.of("missing signature", edit("\"signature\":\"" + SIG + "\",", ""),
            ErrorCode.MISSING_FIELD),
        Arguments.of("missing public_key_hex", edit(",\"public_key_hex\":\"" + PK + "\"", ""),
            ErrorCode.MISSING_FIELD),
        Arguments.of("negative work_units", edit("\"work_units\":42", "\"work_units\":-42"),
            ErrorCode.FIELD_OUT_OF_RANGE),
        Arguments.of("job_id 2^64", edit("\"job_id\":123", "\"job_id\":18446744073709551616"),
            ErrorCode.FIELD_OUT_OF_RANGE),
        Arguments.of("fractional ts", edit("\"ts\":1710000000", "\"ts\":1710000000.5"),
            ErrorCode.FIELD_OUT_OF_RANGE),
        Arguments.of("work_units as string", edit("\"work_units\":42", "\"work_units\":\"42\""),
            ErrorCode.WRONG_TYPE),
        Arguments.of("signature as number", withSignature("x").replace("\"x\"", "7"),
            ErrorCode.WRONG_TYPE),
        Arguments.of("node_id changed after signing", edit("\"kc_node_01\"", "\"\""),
            ErrorCode.HASH_MISMATCH),
        Arguments.of("non-hex proof_hash", edit(HASH, "g" + HASH.substring(1)),
            ErrorCode.MALFORMED_HEX),
        Arguments.of("odd-length proof_hash", edit(HASH, HASH.substring(1)),
            ErrorCode.MALFORMED_HEX),
        Arguments.of("short proof_hash", edit(HASH, HASH.substring(2)), ErrorCode.WRONG_LENGTH),
        Arguments.of("non-hex signature", withSignature("zz" + SIG.substring(2)),
            ErrorCode.MALFORMED_HEX),
        Arguments.of("truncated signature", withSignature(SIG.substring(0, 126)),
            ErrorCode.WRONG_LENGTH),
        Arguments.of("signature with appended zero byte", withSignature(SIG + "00"),
            ErrorCode.WRONG_LENGTH),
        Arguments.of("empty signature", withSignature(""), ErrorCode.WRONG_LENGTH),
        Arguments.of("short public key", edit(PK, PK.substring(2)), ErrorCode.WRONG_LENGTH),
        Arguments.of("non-hex public key", edit(PK, PK.substring(1) + "-"), ErrorCode.MALFORMED_HEX),
        Arguments.of("small-order public key", edit(PK, SMALL_ORDER_PK),
            ErrorCode.INVALID_PUBLIC_KEY),
        Arguments.of("non-canonical public key", edit(PK, NON_CANONICAL_PK),
            ErrorCode.INVALID_PUBLIC_KEY),
        Arguments.of("payload changed, hash kept", edit("\"work_units\":42", "\"work_units\":43"),
            ErrorCode.HASH_MISMATCH),
        Arguments.of("miner_id added after signing",
            edit("\"job_id\"", "\"miner_id\":\"m1\",\"job_id\""), ErrorCode.HASH_MISMATCH),
        Arguments.of("workload_mode dropped (defaults to sim)",
            gpuLine.replace("\"workload_mode\":\"gpu\",", ""), ErrorCode.HASH_MISMATCH),
        Arguments.of("hash of another payload", edit(HASH, Rfc8032Test1.JOB.digest().hex()
            .replace('a', 'b')), ErrorCode.HASH_MISMATCH),
        Arguments.of("signature flipped bit", withSignature(
            (SIG.charAt(0) == '0' ? "1" : "0") + SIG.substring(1)), ErrorCode.BAD_SIGNATURE),
        Arguments.of("signature by another key", signedBy(OTHER, digest, PK),
            ErrorCode.BAD_SIGNATURE),
        Arguments.of("honest signature, someone else's key claimed",
            edit(PK, OTHER.publicKey().hex()), ErrorCode.BAD_SIGNATURE),
        Arguments.of("S + L malleated signature", malleated(), ErrorCode.BAD_SIGNATURE),
        Arguments.of("signed the payload bytes, not the digest",
            signedBy(Rfc8032Test1.KEYS, Rfc8032Test1.JOB.canonicalBytes(), PK),
            ErrorCode.BAD_SIGNATURE),
        Arguments.of("signed the hex text of the digest",
            signedBy(Rfc8032Test1.KEYS, HASH.getBytes(StandardCharsets.US_ASCII), PK),
            ErrorCode.BAD_SIGNATURE),
        Arguments.of("all-zero signature", withSignature("00".repeat(64)),
            ErrorCode.BAD_SIGNATURE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void refusesWithTheExactReason(String name, String line, ErrorCode expected) {
    Verdict v = VERIFIER.verifyJobProofJson(line.getBytes(StandardCharsets.UTF_8));
    assertThat(v.reason()).as(v.toString()).contains(expected);
    assertThatThrownBy(v::orThrow)
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(expected));
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] bytes = edit("kc_node_01", "kc_node_\u00e9").getBytes(StandardCharsets.UTF_8);
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("kc_node_") + 8;
    bytes[at] = (byte) 0xff;
    assertThat(VERIFIER.verifyJobProofJson(bytes).reason()).contains(ErrorCode.INVALID_UTF8);
  }

  @Test
  void acceptsAliasesUnknownFieldsAndUppercaseHex() {
    String aliased = edit("\"ts\":", "\"timestamp_unix\":")
        .replace("\"signature\":", "\"signature_hex\":")
        .replace("{", "{\"extra\":{\"nested\":[1,2]},");
    assertThat(VERIFIER.verifyJobProofJson(aliased.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    String upper = LINE.replace(SIG, SIG.toUpperCase()).replace(PK, PK.toUpperCase());
    assertThat(VERIFIER.verifyJobProofJson(upper.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(VERIFIER.verifyJobProofJson(LINE.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Test
  void aCachedKeyGivesTheSameVerdictsAsAFreshOne() {
    ProofVerifier uncached = ProofVerifier.create(io.kascompute.core.json.JsonLimits.DEFAULT, 0);
    catalogue().forEach(a -> {
      byte[] line = ((String) a.get()[1]).getBytes(StandardCharsets.UTF_8);
      assertThat(uncached.verifyJobProofJson(line)).isEqualTo(VERIFIER.verifyJobProofJson(line));
    });
  }

  @Test
  void taskProofIsBoundToItsRunAndTask() {
    ProofSignature s = SIGNER.signTaskProof(Rfc8032Test1.TASK);
    var t = Rfc8032Test1.TASK;
    var otherTask = new io.kascompute.core.payload.TaskProofPayload(t.nodeId(), t.runId(),
        io.kascompute.core.TaskId.of("t2"), t.taskHash(), t.workUnits(), t.elapsedMs(),
        t.clientVersion(), t.ts());
    NodePublicKey key = Rfc8032Test1.KEYS.publicKey();
    assertThat(VERIFIER.verifyTaskProof(otherTask, Optional.of(s.proofHash()), s.signature(), key)
        .reason()).contains(ErrorCode.HASH_MISMATCH);
    assertThat(VERIFIER.verifyTaskProof(otherTask, Optional.of(otherTask.digest().hex()),
        s.signature(), key).reason()).contains(ErrorCode.BAD_SIGNATURE);
    assertThat(VERIFIER.verifyTaskProof(otherTask, Optional.empty(), s.signature(), key)
        .reason()).contains(ErrorCode.BAD_SIGNATURE);
  }

  @Test
  void heartbeatSignatureIsChecked() {
    String sig = SIGNER.signHeartbeat(Rfc8032Test1.HEARTBEAT);
    NodePublicKey key = Rfc8032Test1.KEYS.publicKey();
    var launcher = Rfc8032Test1.LAUNCHER_HEARTBEAT;
    assertThat(VERIFIER.verifyHeartbeat(Rfc8032Test1.HEARTBEAT, launcher, sig.substring(2), key)
        .reason()).contains(ErrorCode.WRONG_LENGTH);
    var h = Rfc8032Test1.HEARTBEAT;
    var later = new io.kascompute.core.payload.HeartbeatPayload(h.nodeId(), h.publicKeyHex(),
        h.roles(), h.clientVersion(), h.timestampUnix() + 1);
    assertThat(VERIFIER.verifyHeartbeat(later, launcher, sig, key).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
    String launcherSig = SIGNER.signLauncherHeartbeat(launcher);
    assertThat(VERIFIER.verifyHeartbeat(later, launcher, launcherSig, key))
        .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    assertThat(VERIFIER.verifyHeartbeat(h, launcher, sig, OTHER.publicKey()).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
  }
}
