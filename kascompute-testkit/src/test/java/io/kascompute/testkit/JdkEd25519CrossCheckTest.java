package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own Ed25519 (SunEC) agrees with the SDK on honest keys, in both directions and in
 * both proof schemes, and an independent SunEC-based verifier agrees with {@code kascompute verify}.
 */
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

  static boolean jdkVerifies(byte[] publicKey, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(jdkPublic(publicKey));
    jdk.update(message);
    try {
      return jdk.verify(signature);
    } catch (java.security.SignatureException e) {
      return false; // SunEC throws when R is not a point: a signature that does not verify
    }
  }

  static byte[] jdkSign(byte[] seed, byte[] message) throws GeneralSecurityException {
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(jdkPrivate(seed));
    jdk.update(message);
    return jdk.sign();
  }

  /** The scheme vectors (signed with OpenSSL): SunEC verifies each and signs the same bytes. */
  @Test
  void sunEcAgreesWithTheSchemeVectorsInBothDirections() throws GeneralSecurityException {
    int checked = 0;
    for (String name : List.of("launcher_scheme.json", "digest_scheme.json")) {
      JsonValue file = Ed25519VectorsTest.launcherVectors(name);
      for (String list : List.of("job_proofs", "heartbeats", "proofs")) {
        JsonValue vectors = Ed25519VectorsTest.get(file, list);
        if (vectors == null) {
          continue;
        }
        for (JsonValue v : ((JsonArray) vectors).elements()) {
          NodeKeyPair keys = Ed25519VectorsTest.key(file, v);
          byte[] message = HexCodec.decode("m", Ed25519VectorsTest.str(v,
              list.equals("proofs") ? "proof_hash" : "message_hex"));
          byte[] sig = HexCodec.decode("s", Ed25519VectorsTest.str(v, "signature"));
          assertThat(jdkVerifies(keys.publicKey().toByteArray(), message, sig)).isTrue();
          assertThat(jdkSign(keys.exportSecretSeed(), message)).isEqualTo(sig);
          sig[40] ^= 1;
          assertThat(jdkVerifies(keys.publicKey().toByteArray(), message, sig)).isFalse();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(19);
  }

  @Property(tries = 60)
  void jdkVerifiesSdkLauncherProofsAndHeartbeats(
      @ForAll @Size(32) byte[] seed, @ForAll String node, @ForAll String profile,
      @ForAll long jobId, @ForAll long workUnits, @ForAll long ts) throws GeneralSecurityException {
    Assume.that(wellFormed(node) && wellFormed(profile));
    NodeKeyPair keys = NodeKeyPair.fromSeed(seed);
    ProofSigner signer = ProofSigner.of(keys);
    JobProofSubmission s = signer.signLauncherJobProof(new JobProofPayload(NodeId.of(node),
        Optional.empty(), jobId, workUnits, "sim", 1, "protocol-v1", ts));
    byte[] pk = keys.publicKey().toByteArray();
    assertThat(jdkVerifies(pk, ownLauncherMessage("pf", node, Long.toUnsignedString(jobId) + "|"
        + Long.toUnsignedString(workUnits), ts), HexCodec.decode("s", s.signature()))).isTrue();
    LauncherHeartbeat hb = new LauncherHeartbeat(NodeId.of(node), profile, ts);
    assertThat(jdkVerifies(pk, ownLauncherMessage("hb", node, profile, ts),
        HexCodec.decode("s", signer.signLauncherHeartbeat(hb)))).isTrue();
    assertThat(ProofVerifier.create().verifyJobProofJson(s.toJsonBytes()))
        .isEqualTo(Verdict.valid(SignatureScheme.LAUNCHER));
  }

  @Property(tries = 60)
  void sdkVerifiesJdkSignedProofsInBothSchemes(
      @ForAll @Size(32) byte[] seed, @ForAll String node, @ForAll long jobId,
      @ForAll long workUnits, @ForAll long ts, @ForAll boolean launcher)
      throws GeneralSecurityException {
    Assume.that(wellFormed(node));
    NodeKeyPair keys = NodeKeyPair.fromSeed(seed);
    JobProofPayload payload = new JobProofPayload(NodeId.of(node), Optional.empty(), jobId,
        workUnits, "sim", 150, "v", ts);
    byte[] message = launcher
        ? ownLauncherMessage("pf", node, Long.toUnsignedString(jobId) + "|"
            + Long.toUnsignedString(workUnits), ts)
        : MessageDigest.getInstance("SHA-256").digest(IndependentAudit.digestPayload(
            node, null, jobId, workUnits, "sim", 150, "v", ts));
    String sig = HexCodec.encode(jdkSign(seed, message));
    JobProofSubmission s = launcher ? JobProofSubmission.launcher(payload, sig, keys.publicKey().hex())
        : JobProofSubmission.digest(payload, HexCodec.encode(message), sig, keys.publicKey().hex());
    assertThat(ProofVerifier.create().verifyJobProof(s)).isEqualTo(
        Verdict.valid(launcher ? SignatureScheme.LAUNCHER : SignatureScheme.DIGEST));
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ownLauncherMessage(String kind, String node, String middle, long ts) {
    return (kind + "|" + node + "|" + middle + "|" + Long.toUnsignedString(ts))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code kascompute verify --json} against an independent verifier on random V1 proofs of both
   * schemes, with control characters (and every other oddity) in their ids, some corrupted: the
   * records are signed with SunEC and checked by a verifier written here from the spec (Jackson's
   * streaming parser, its own payload bytes, SunEC), and both must print the same line for every
   * record. The hand-run OpenSSL comparison of {@code kascompute-bench/peers} does the same at scale.
   */
  @Test
  void verifyAgreesWithAnIndependentSunEcVerifierOnRandomV1Proofs() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kascompute-audit");
    try {
      IndependentAudit audit = new IndependentAudit(new java.util.Random(2026), 12);
      StringBuilder input = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        input.append(audit.record()).append('\n');
      }
      java.nio.file.Path file = dir.resolve("proofs.jsonl");
      java.nio.file.Files.writeString(file, input, StandardCharsets.UTF_8);
      StringBuilder expected = new StringBuilder();
      long line = 0;
      for (String record : input.toString().split("\n")) {
        expected.append(audit.verify(++line, record)).append('\n');
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.PrintStream old = System.out;
      int exit;
      try {
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        picocli.CommandLine cli = io.kascompute.testkit.cli.KasComputeCli.newCommandLine();
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
        exit = cli.execute("verify", "--json", "--threads", "2", file.toString());
      } finally {
        System.setOut(old);
      }
      String actual = out.toString(StandardCharsets.UTF_8);
      assertThat(actual.lines().toList()).containsExactlyElementsOf(expected.toString().lines().toList());
      assertThat(exit).isEqualTo(expected.indexOf("\"valid\":false") >= 0 ? 1 : 0);
      assertThat(audit.valid).isBetween(250, 390);
      assertThat(audit.launcher).isGreaterThan(100);
      assertThat(audit.controlIds).isGreaterThan(50);
    } finally {
      try (var files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  /**
   * Random V1 job proof records signed with SunEC, and an independent verifier for them written
   * from the spec: Jackson's streaming parser for the line, its own payload bytes and escaping,
   * SunEC for every signature check.
   */
  static final class IndependentAudit {
    private static final String[] ODD = {
      "\u0000", "\u0001", "\u001f", "\t", "\n", "\r", "\b", "\f", "\u007f", "\u00e9",
      "\u4e2d", "\u2028", "\ud83d\ude00", "\"", "\\", "/", "|", " "
    };
    private final java.util.Random r;
    private final byte[][] seeds;
    private final byte[][] keys;
    private final String[] nodes;
    private final com.fasterxml.jackson.core.JsonFactory json = new com.fasterxml.jackson.core.JsonFactory();
    int valid;
    int launcher;
    int controlIds;

    IndependentAudit(java.util.Random r, int count) throws GeneralSecurityException {
      this.r = r;
      seeds = new byte[count][32];
      keys = new byte[count][];
      nodes = new String[count];
      for (int i = 0; i < count; i++) {
        r.nextBytes(seeds[i]);
        byte[] seed = seeds[i];
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
        g.initialize(java.security.spec.NamedParameterSpec.ED25519, new java.security.SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
          }
        });
        byte[] x509 = g.generateKeyPair().getPublic().getEncoded();
        keys[i] = java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        nodes[i] = i % 3 == 0 ? "kc_node_" + i : odd(1 + r.nextInt(8));
      }
      nodes[count - 1] = "";
    }

    private String odd(int n) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(r.nextBoolean() ? ODD[r.nextInt(ODD.length)] : String.valueOf((char) ('a' + r.nextInt(26))));
      }
      return b.toString();
    }

    private long u64() {
      return switch (r.nextInt(4)) {
        case 0 -> -1L;
        case 1 -> r.nextInt(100);
        default -> r.nextLong();
      };
    }

    /** One record as a JSON line. */
    String record() throws GeneralSecurityException {
      int k = r.nextInt(nodes.length);
      String node = nodes[k];
      boolean launcherScheme = r.nextInt(100) < 45;
      String miner = !launcherScheme && r.nextInt(100) < 15 ? odd(3) : null;
      long job = u64();
      long work = u64();
      long ts = u64();
      long elapsed = u64();
      boolean hasElapsed = !launcherScheme || r.nextBoolean();
      String mode = r.nextInt(5) > 0 ? (r.nextBoolean() ? "sim" : odd(2)) : null;
      String client = launcherScheme ? "protocol-v1" : r.nextInt(5) > 0 ? odd(3) : null;
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(digestPayload(node, miner, job,
          work, mode == null ? "sim" : mode, elapsed, client == null ? "unknown" : client, ts));
      byte[] message = launcherScheme ? ownLauncherMessage("pf", node,
          Long.toUnsignedString(job) + "|" + Long.toUnsignedString(work), ts) : digest;
      String sig = HexCodec.encode(jdkSign(seeds[k], message));
      String proofHash = !launcherScheme && r.nextInt(100) < 85 ? HexCodec.encode(digest) : null;
      String pk = HexCodec.encode(keys[k]);
      switch (r.nextInt(40)) {
        case 0 -> sig = flipHex(sig);
        case 1 -> pk = HexCodec.encode(keys[(k + 1) % keys.length]);
        case 2 -> work ^= 1;
        case 3 -> ts ^= 4;
        case 4 -> node = node + "\u0001";
        case 5 -> proofHash = proofHash == null ? null : flipHex(proofHash);
        case 6 -> mode = launcherScheme ? "changed" : mode;
        case 7 -> elapsed = launcherScheme ? elapsed + 1 : elapsed;
        case 8 -> sig = "Z" + sig.substring(1);
        case 9 -> sig = sig.substring(2);
        case 10 -> sig = sig.toUpperCase(java.util.Locale.ROOT);
        default -> { }
      }
      List<String> members = new java.util.ArrayList<>();
      members.add(member("node_id", string(node)));
      if (miner != null) {
        members.add(member("miner_id", string(miner)));
      }
      members.add(member("job_id", Long.toUnsignedString(job)));
      members.add(member("work_units", Long.toUnsignedString(work)));
      if (mode != null) {
        members.add(member("workload_mode", string(mode)));
      }
      if (hasElapsed) {
        members.add(member("elapsed_ms", Long.toUnsignedString(elapsed)));
      }
      if (client != null) {
        members.add(member("client_version", string(client)));
      }
      members.add(member(r.nextBoolean() ? "ts" : "timestamp_unix", Long.toUnsignedString(ts)));
      if (proofHash != null) {
        members.add(member(r.nextBoolean() ? "proof_hash" : "proof_hash_hex", string(proofHash)));
      }
      members.add(member(r.nextBoolean() ? "signature" : "signature_hex", string(sig)));
      members.add(member("public_key_hex", string(pk)));
      if (launcherScheme) {
        members.add(member("result_hash", string(HexCodec.encode(digest))));
      }
      java.util.Collections.shuffle(members, r);
      return "{" + String.join(",", members) + "}";
    }

    private static String flipHex(String hex) {
      char c = hex.charAt(10);
      return hex.substring(0, 10) + (c == '0' ? '1' : '0') + hex.substring(11);
    }

    private static String member(String name, String value) {
      return "\"" + name + "\":" + value;
    }

    /** A JSON string, escaped in one of the ways JSON allows (never the SDK's writer). */
    private String string(String s) {
      StringBuilder b = new StringBuilder("\"");
      s.codePoints().forEach(cp -> {
        if (cp < 0x20 || cp == '"' || cp == '\\' || cp < 0x10000 && r.nextInt(8) == 0) {
          b.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", cp));
        } else {
          b.appendCodePoint(cp);
        }
      });
      return b.append('"').toString();
    }

    /** The verdict line {@code kascompute verify --json} must print for the record. */
    String verify(long line, String record) throws Exception {
      java.util.Map<String, Object> o = new java.util.HashMap<>();
      try (com.fasterxml.jackson.core.JsonParser p = json.createParser(record)) {
        assertThat(p.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.START_OBJECT);
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.put(name, p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
              ? p.getText() : p.getBigIntegerValue().longValue());
        }
      }
      String node = (String) o.get("node_id");
      if (!node.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        controlIds++;
      }
      String reason = reason(o);
      if (reason == null) {
        valid++;
        boolean pf = !o.containsKey("elapsed_ms") || launcherVerifies(o);
        launcher += pf ? 1 : 0;
        return "{\"line\":" + line + ",\"valid\":true,\"scheme\":\"" + (pf ? "launcher" : "digest") + "\"}";
      }
      return "{\"line\":" + line + ",\"valid\":false,\"reason\":\"" + reason + "\",\"node_id\":"
          + minimal(node) + ",\"job_id\":" + Long.toUnsignedString((Long) o.get("job_id")) + "}";
    }

    private boolean launcherVerifies(java.util.Map<String, Object> o) throws GeneralSecurityException {
      return !o.containsKey("miner_id") && jdkVerifies(HexCodec.decode("k", (String) o.get("public_key_hex")),
          launcherMessage(o), HexCodec.decode("s", signature(o)));
    }

    private static String signature(java.util.Map<String, Object> o) {
      return (String) (o.containsKey("signature") ? o.get("signature") : o.get("signature_hex"));
    }

    private static byte[] launcherMessage(java.util.Map<String, Object> o) {
      return ownLauncherMessage("pf", (String) o.get("node_id"),
          Long.toUnsignedString((Long) o.get("job_id")) + "|"
              + Long.toUnsignedString((Long) o.get("work_units")), ts(o));
    }

    private static long ts(java.util.Map<String, Object> o) {
      return (Long) (o.containsKey("ts") ? o.get("ts") : o.get("timestamp_unix"));
    }

    /** The reason of the refusal, or null when valid, checked in the spec's order. */
    private static String reason(java.util.Map<String, Object> o) throws GeneralSecurityException {
      String hash = (String) (o.containsKey("proof_hash") ? o.get("proof_hash") : o.get("proof_hash_hex"));
      for (String[] f : new String[][] {{hash, "32"}, {signature(o), "64"},
          {(String) o.get("public_key_hex"), "32"}}) {
        if (f[0] == null) {
          continue;
        }
        if (f[0].length() % 2 != 0 || !f[0].matches("[0-9a-fA-F]*")) {
          return "malformed_hex";
        }
        if (f[0].length() != 2 * Integer.parseInt(f[1])) {
          return "wrong_length";
        }
      }
      byte[] digest = null;
      if (o.containsKey("elapsed_ms")) {
        digest = MessageDigest.getInstance("SHA-256").digest(digestPayload(
            (String) o.get("node_id"), (String) o.get("miner_id"), (Long) o.get("job_id"),
            (Long) o.get("work_units"), (String) o.getOrDefault("workload_mode", "sim"),
            (Long) o.get("elapsed_ms"), (String) o.getOrDefault("client_version", "unknown"),
            ts(o)));
      }
      if (hash != null && !HexCodec.encode(digest).equalsIgnoreCase(hash)) {
        return "hash_mismatch";
      }
      byte[] pk = HexCodec.decode("k", (String) o.get("public_key_hex"));
      byte[] sig = HexCodec.decode("s", signature(o));
      if (digest != null && jdkVerifies(pk, digest, sig)) {
        return null;
      }
      if (!o.containsKey("miner_id") && jdkVerifies(pk, launcherMessage(o), sig)) {
        return null;
      }
      return "bad_signature";
    }

    /** The digest scheme's payload bytes, from the spec's rules. */
    static byte[] digestPayload(String node, String miner, long job, long work, String mode,
        long elapsed, String client, long ts) {
      StringBuilder b = new StringBuilder("{\"node_id\":").append(minimal(node));
      if (miner != null) {
        b.append(",\"miner_id\":").append(minimal(miner));
      }
      b.append(",\"job_id\":").append(Long.toUnsignedString(job))
          .append(",\"work_units\":").append(Long.toUnsignedString(work))
          .append(",\"workload_mode\":").append(minimal(mode))
          .append(",\"elapsed_ms\":").append(Long.toUnsignedString(elapsed))
          .append(",\"client_version\":").append(minimal(client))
          .append(",\"ts\":").append(Long.toUnsignedString(ts)).append('}');
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Minimal JSON escaping: quote, backslash, C0 controls (short forms, else lowercase \\u00xx). */
    static String minimal(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\b' -> b.append("\\b");
          case '\t' -> b.append("\\t");
          case '\n' -> b.append("\\n");
          case '\f' -> b.append("\\f");
          case '\r' -> b.append("\\r");
          default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
      }
      return b.append('"').toString();
    }
  }
}
