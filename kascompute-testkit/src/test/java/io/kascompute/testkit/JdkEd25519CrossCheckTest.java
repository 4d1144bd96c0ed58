package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.Verdict;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The JDK's own Ed25519 (SunEC) agrees with the SDK on honest keys, in both directions. */
class JdkEd25519CrossCheckTest {
  private static final byte[] X509_PREFIX = HexCodec.decode("x", "302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX =
      HexCodec.decode("x", "302e020100300506032b657004220420");

  static PublicKey jdkPublic(byte[] raw) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
  }

  static PrivateKey jdkPrivate(byte[] seed) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Property(tries = 60)
  void jdkVerifiesSdkJobProofs(
      @ForAll @Size(32) byte[] seed,
      @ForAll @StringLength(min = 1, max = 40) String client,
      @ForAll long jobId,
      @ForAll long workUnits,
      @ForAll long ts) throws GeneralSecurityException {
    NodeKeyPair keys = NodeKeyPair.fromSeed(seed);
    JobProofSubmission s = ProofSigner.of(keys).signJobProof(new JobProofPayload(
        keys.nodeId(), Optional.empty(), jobId, workUnits, "sim", 1, client, ts));
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(jdkPublic(keys.publicKey().toByteArray()));
    jdk.update(HexCodec.decode("proof_hash", s.proofHash().orElseThrow()));
    assertThat(jdk.verify(HexCodec.decode("signature", s.signature()))).isTrue();
    assertThat(ProofVerifier.create().verifyJobProofJson(s.toJsonBytes()))
        .isEqualTo(Verdict.valid(SignatureScheme.DIGEST));
  }

  @Property(tries = 60)
  void sdkVerifiesJdkSignaturesAndDerivesTheSameKey(
      @ForAll @Size(32) byte[] seed, @ForAll @Size(max = 200) byte[] message)
      throws GeneralSecurityException {
    NodeKeyPair keys = NodeKeyPair.fromSeed(seed);
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(jdkPrivate(seed));
    jdk.update(message);
    byte[] sig = jdk.sign();
    assertThat(sig).isEqualTo(Signatures.signRaw(keys, message));
    Signatures.verifyRaw(keys.publicKey().toByteArray(), message, sig);
    assertThat(NodeId.of("kc_" + keys.publicKey().hex().substring(0, 16))).isEqualTo(keys.nodeId());
  }
}
