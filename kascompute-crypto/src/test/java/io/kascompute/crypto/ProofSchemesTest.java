package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Both signature schemes, as properties: every proof {@link ProofSigner} makes verifies, in
 * exactly the scheme it was signed in; a flipped bit in any signed field or in the signature makes
 * it fail; the fields a scheme does not sign change nothing.
 */
class ProofSchemesTest {
  private static final ProofVerifier VERIFIER = ProofVerifier.create();
  private static final EnumSet<SignatureScheme> DIGEST_ONLY = EnumSet.of(SignatureScheme.DIGEST);
  private static final EnumSet<SignatureScheme> LAUNCHER_ONLY = EnumSet.of(SignatureScheme.LAUNCHER);
  private static final EnumSet<SignatureScheme> BOTH = EnumSet.allOf(SignatureScheme.class);

  /** Any string of Unicode scalar values (what JSON text can carry), control characters included. */
  @Provide
  static Arbitrary<String> ids() {
    Arbitrary<Integer> scalar = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 0x7f),
        Arbitraries.integers().between(0x80, 0xd7ff),
        Arbitraries.integers().between(0xe000, 0x10ffff));
    return scalar.list().ofMaxSize(12).map(cps -> {
      StringBuilder b = new StringBuilder();
      cps.forEach(b::appendCodePoint);
      return b.toString();
    });
  }

  @Provide
  static Arbitrary<JobProofPayload> payloads() {
    Arbitrary<Long> u64 = Arbitraries.oneOf(
        Arbitraries.longs(), Arbitraries.of(0L, -1L, 1L, 1_710_000_000L));
    return Combinators.combine(ids(), ids().optional(0.3), u64, u64, ids(), u64, ids(), u64)
        .as((node, miner, job, work, mode, elapsed, client, ts) -> new JobProofPayload(
            NodeId.of(node), miner, job, work, mode, elapsed, client, ts));
  }

  @Provide
  static Arbitrary<NodeKeyPair> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(NodeKeyPair::fromSeed);
  }

  @Property(tries = 200)
  void digestProofsVerifyInTheDigestSchemeOnly(
      @ForAll("payloads") JobProofPayload payload, @ForAll("keys") NodeKeyPair keys) {
    JobProofSubmission s = ProofSigner.of(keys).signJobProof(payload);
    Verdict digest = Verdict.valid(SignatureScheme.DIGEST);
    assertThat(VERIFIER.verifyJobProof(s)).isEqualTo(digest);
    assertThat(VERIFIER.verifyJobProofJson(s.toJsonBytes())).isEqualTo(digest);
    assertThat(VERIFIER.verifyJobProof(withoutHash(s))).isEqualTo(digest);
    assertThat(VERIFIER.verifyJobProof(s, keys.publicKey(), DIGEST_ONLY)).isEqualTo(digest);
    assertThat(VERIFIER.verifyJobProof(s, keys.publicKey(), LAUNCHER_ONLY).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
  }

  @Property(tries = 200)
  void launcherProofsVerifyInTheLauncherSchemeOnly(
      @ForAll("payloads") JobProofPayload payload, @ForAll("keys") NodeKeyPair keys) {
    JobProofPayload p = withoutMiner(payload);
    JobProofSubmission s = ProofSigner.of(keys).signLauncherJobProof(p);
    Verdict launcher = Verdict.valid(SignatureScheme.LAUNCHER);
    assertThat(s.proofHash()).isEmpty();
    assertThat(VERIFIER.verifyJobProof(s)).isEqualTo(launcher);
    assertThat(VERIFIER.verifyJobProofJson(s.toJsonBytes())).isEqualTo(launcher);
    assertThat(VERIFIER.verifyJobProof(s, keys.publicKey(), LAUNCHER_ONLY)).isEqualTo(launcher);
    assertThat(VERIFIER.verifyJobProof(s, keys.publicKey(), DIGEST_ONLY).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
    JobProofSubmission bare = new JobProofSubmission(s.nodeId(), Optional.empty(), s.jobId(),
        s.workUnits(), Optional.empty(), OptionalLong.empty(), Optional.empty(), s.ts(),
        Optional.empty(), s.signature(), s.publicKeyHex());
    assertThat(VERIFIER.verifyJobProof(bare)).isEqualTo(launcher);
  }

  @Property(tries = 300)
  void aFlippedBitInASignedFieldFailsTheDigestScheme(
      @ForAll("payloads") JobProofPayload payload, @ForAll("keys") NodeKeyPair keys,
      @ForAll @IntRange(min = 0, max = 7) int field, @ForAll @IntRange(min = 0, max = 63) int bit) {
    JobProofSubmission s = ProofSigner.of(keys).signJobProof(payload);
    JobProofSubmission changed = flip(s, field, bit);
    assertThat(VERIFIER.verifyJobProof(changed).reason()).contains(ErrorCode.HASH_MISMATCH);
    assertThat(VERIFIER.verifyJobProof(withoutHash(changed)).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
  }

  @Property(tries = 300)
  void aFlippedBitInASignedFieldFailsTheLauncherSchemeAndTheOthersDoNot(
      @ForAll("payloads") JobProofPayload payload, @ForAll("keys") NodeKeyPair keys,
      @ForAll @IntRange(min = 0, max = 7) int field, @ForAll @IntRange(min = 0, max = 63) int bit) {
    JobProofSubmission s = ProofSigner.of(keys).signLauncherJobProof(withoutMiner(payload));
    if (field == 1) {
      return; // miner_id: the launcher scheme has none to flip
    }
    Verdict v = VERIFIER.verifyJobProof(flip(s, field, bit));
    boolean signed = field == 0 || field == 2 || field == 3 || field == 7;
    if (signed) {
      assertThat(v.reason()).contains(ErrorCode.BAD_SIGNATURE);
    } else {
      assertThat(v).isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    }
  }

  @Property(tries = 200)
  void aFlippedSignatureBitFailsEitherScheme(
      @ForAll("payloads") JobProofPayload payload, @ForAll("keys") NodeKeyPair keys,
      @ForAll @IntRange(min = 0, max = 511) int bit, @ForAll boolean launcherScheme) {
    ProofSigner signer = ProofSigner.of(keys);
    JobProofSubmission s = launcherScheme ? signer.signLauncherJobProof(withoutMiner(payload))
        : signer.signJobProof(payload);
    byte[] sig = HexCodec.decode("signature", s.signature());
    sig[bit / 8] ^= (byte) (1 << (bit % 8));
    JobProofSubmission forged = new JobProofSubmission(s.nodeId(), s.minerId(), s.jobId(),
        s.workUnits(), s.workloadMode(), s.elapsedMs(), s.clientVersion(), s.ts(),
        s.proofHash(), HexCodec.encode(sig), s.publicKeyHex());
    assertThat(VERIFIER.verifyJobProof(forged).reason()).contains(ErrorCode.BAD_SIGNATURE);
    assertThat(VERIFIER.verifyJobProofJson(forged.toJsonBytes()).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
  }

  @Property(tries = 200)
  void heartbeatsVerifyInTheSchemeTheyWereSignedIn(
      @ForAll("ids") String node, @ForAll("ids") String profile, @ForAll long ts,
      @ForAll("keys") NodeKeyPair keys, @ForAll @IntRange(min = 0, max = 511) int bit) {
    ProofSigner signer = ProofSigner.of(keys);
    HeartbeatPayload sdk = new HeartbeatPayload(NodeId.of(node), keys.publicKey().hex(),
        List.of("node"), "kascompute-sdk/0.1.0", ts);
    LauncherHeartbeat launcher = new LauncherHeartbeat(NodeId.of(node), profile, ts);
    String digestSig = signer.signHeartbeat(sdk);
    String launcherSig = signer.signLauncherHeartbeat(launcher);
    assertThat(VERIFIER.verifyHeartbeat(sdk, launcher, digestSig, keys.publicKey()))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
    assertThat(VERIFIER.verifyHeartbeat(sdk, launcher, launcherSig, keys.publicKey()))
        .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
    LauncherHeartbeat later = new LauncherHeartbeat(NodeId.of(node), profile, ts ^ (1L << (bit % 64)));
    assertThat(VERIFIER.verifyHeartbeat(sdk, later, launcherSig, keys.publicKey()).reason())
        .contains(ErrorCode.BAD_SIGNATURE);
    byte[] sig = HexCodec.decode("sig", digestSig);
    sig[bit / 8] ^= (byte) (1 << (bit % 8));
    assertThat(VERIFIER.verifyHeartbeat(sdk, launcher, HexCodec.encode(sig), keys.publicKey())
        .reason()).contains(ErrorCode.BAD_SIGNATURE);
  }

  private static JobProofPayload withoutMiner(JobProofPayload p) {
    return new JobProofPayload(p.nodeId(), Optional.empty(), p.jobId(), p.workUnits(),
        p.workloadMode(), p.elapsedMs(), p.clientVersion(), p.ts());
  }

  private static JobProofSubmission withoutHash(JobProofSubmission s) {
    return new JobProofSubmission(s.nodeId(), s.minerId(), s.jobId(), s.workUnits(),
        s.workloadMode(), s.elapsedMs(), s.clientVersion(), s.ts(), Optional.empty(),
        s.signature(), s.publicKeyHex());
  }

  /** Flips one bit of a field: 0 node_id, 1 miner_id, 2 job_id, 3 work_units, 4 workload_mode,
   * 5 elapsed_ms, 6 client_version, 7 ts (a string: one bit of its first character, or "\u0001"
   * for an empty one). */
  private static JobProofSubmission flip(JobProofSubmission s, int field, int bit) {
    long mask = 1L << bit;
    return new JobProofSubmission(
        field == 0 ? NodeId.of(flip(s.nodeId().value(), bit)) : s.nodeId(),
        field == 1 ? Optional.of(flip(s.minerId().orElse(""), bit)) : s.minerId(),
        field == 2 ? s.jobId() ^ mask : s.jobId(),
        field == 3 ? s.workUnits() ^ mask : s.workUnits(),
        field == 4 ? s.workloadMode().map(m -> flip(m, bit)) : s.workloadMode(),
        field == 5 ? OptionalLong.of(s.elapsedMs().getAsLong() ^ mask) : s.elapsedMs(),
        field == 6 ? s.clientVersion().map(c -> flip(c, bit)) : s.clientVersion(),
        field == 7 ? s.ts() ^ mask : s.ts(),
        s.proofHash(), s.signature(), s.publicKeyHex());
  }

  private static String flip(String s, int bit) {
    if (s.isEmpty()) {
      return "\u0001";
    }
    int cp = s.codePointAt(0);
    int flipped = cp ^ (1 << (bit % 7));
    return new StringBuilder().appendCodePoint(flipped).append(s.substring(Character.charCount(cp)))
        .toString();
  }
}
