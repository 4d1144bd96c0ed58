package io.kascompute.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The single-pass scanner behind {@link ProofVerifier#parseJobProof} and {@link
 * ProofVerifier#verifyJobProofJson} against the strict tree reader plus {@link
 * JobProofSubmission#fromJson}: on random records and on random mutations of them, the same
 * record or the same refusal code, and the same verdict; and well-formed records never leave the
 * fast path.
 */
class ProofLineScannerTest {
  private static final NodeKeyPair KEYS = NodeKeyPair.fromSeedHex(
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  private static final ProofSigner SIGNER = ProofSigner.of(KEYS);
  private static final ProofVerifier VERIFIER = ProofVerifier.create();
  private static final String[] ODD = {
    "\u0000", "\u0001", "\u001f", "\t", "\n", "\r", "\b", "\f", "\u007f", "\u00e9", "\u4e2d",
    "\u2028", "\ud83d\ude00", "\"", "\\", "/", "|", " ", "\u00a0"
  };

  /** Parses as the strict path does: the record, or the code of its refusal. */
  static Object strict(byte[] line) {
    try {
      return JobProofSubmission.fromJson(
          Fields.object(StrictJsonReader.withDefaults().read(line), "job proof"));
    } catch (KasComputeException e) {
      return e.code();
    }
  }

  static Object fast(byte[] line) {
    try {
      return VERIFIER.parseJobProof(line, 0, line.length);
    } catch (KasComputeException e) {
      return e.code();
    }
  }

  static Verdict strictVerdict(Object parsed) {
    return parsed instanceof JobProofSubmission s ? VERIFIER.verifyJobProof(s)
        : Verdict.invalid((io.kascompute.core.ErrorCode) parsed, "refused");
  }

  static void assertSameAsStrict(byte[] line) {
    Object expected = strict(line);
    String shown = new String(line, StandardCharsets.UTF_8);
    assertThat(fast(line)).as(shown).isEqualTo(expected);
    Verdict v = VERIFIER.verifyJobProofJson(line);
    Verdict s = strictVerdict(expected);
    assertThat(v.reason()).as(shown).isEqualTo(s.reason());
    assertThat(v.scheme()).as(shown).isEqualTo(s.scheme());
  }

  @Property(tries = 1500)
  void wellFormedRecordsTakeTheFastPathAndMatchTheStrictReader(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] line = new Records(r, false).line();
    assertSameAsStrict(line);
    assertThat(strict(line)).isInstanceOf(JobProofSubmission.class);
    assertThat(new ProofLineScanner().scan(line, 0, line.length, 1 << 20))
        .as(new String(line, StandardCharsets.UTF_8)).isTrue();
  }

  @Property(tries = 1500)
  void irregularRecordsGetTheStrictReadersAnswer(@ForAll long seed) {
    Random r = new Random(seed);
    assertSameAsStrict(new Records(r, true).line());
  }

  @Property(tries = 3000)
  void mutatedRecordsGetTheStrictReadersAnswer(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] line = new Records(r, r.nextInt(3) == 0).line();
    int mutations = 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      line = mutate(r, line);
    }
    assertSameAsStrict(line);
  }

  @Test
  void catalogueOfIrregularLines() {
    String good = new String(new Records(new Random(7), false).line(), StandardCharsets.UTF_8);
    List<String> lines = List.of(
        "", " ", "{}", "[]", "null", "\"x\"", "1", "{\"node_id\":\"a\"}", "\ufeff" + good,
        good + " ", good + "\r", "\t" + good, good + "x", good + "{}", good.replace("{", "{ "),
        good.replace("\"job_id\"", "\"job_id\" "), good.replace(":", " : "),
        good.replace("}", ",}"), good.replace("{", "{,"), good.replace("{", "{\"a\":NaN,"),
        good.replace("{", "{\"a\":-Infinity,"), good.replace("{", "{\"a\":+1,"),
        good.replace("{", "{\"a\":01,"), good.replace("{", "{\"a\":1.,"),
        good.replace("{", "{\"a\":1e400,"), good.replace("{", "{\"a\":1e5,"),
        good.replace("{", "{\"a\":\"1\" ,\"a\":2,"), good.replace("{", "{\"a\":1,\"\\u0061\":2,"),
        good.replace("{", "{\"a\":[1,{\"b\":2,\"b\":3}],"), good.replace("{", "{\"a\":\"\\ud800\","),
        good.replace("{", "{\"a\":\"\\udc00\\ud800\","), good.replace("{", "{\"a\":\"\\x\","),
        good.replace("{", "{\"a\":tru,"), good.replace("{", "{\"a\":truex,"),
        good.replace("{", "{\"a\":nul,"), good.replace("{", "{\"a\":\u0001,"),
        good.replace("{", "{\"a\":\"\u0001\","), good.replace("{", "{\"\u0001\":1,"),
        good.replace("{", "{\"a\":" + "9".repeat(400) + ","),
        good.replace("{", "{\"a\":0." + "0".repeat(200_000) + "1,"),
        good.replace("{", "{\"job_id\":null,\"x\":1,"));
    for (String line : lines) {
      assertSameAsStrict(line.getBytes(StandardCharsets.UTF_8));
    }
    byte[] bad = good.getBytes(StandardCharsets.UTF_8);
    for (byte b : new byte[] {0, (byte) 0x80, (byte) 0xc0, (byte) 0xed, (byte) 0xf5, (byte) 0xff}) {
      for (int at = 0; at < bad.length; at += 7) {
        byte[] copy = bad.clone();
        copy[at] = b;
        assertSameAsStrict(copy);
      }
    }
  }

  static byte[] mutate(Random r, byte[] line) {
    if (line.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    byte[] tokens = "{}[]\":,\\ \t\r0123456789-+.eEnulltruefalseabcdefABCDEF/u"
        .getBytes(StandardCharsets.US_ASCII);
    int at = r.nextInt(line.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (r.nextInt(7)) {
      case 0 -> { // delete a byte
        out.write(line, 0, at);
        out.write(line, at + 1, line.length - at - 1);
      }
      case 1 -> { // insert a JSON-significant byte
        out.write(line, 0, at);
        out.write(tokens[r.nextInt(tokens.length)]);
        out.write(line, at, line.length - at);
      }
      case 2 -> { // replace with any byte
        byte[] copy = line.clone();
        copy[at] = (byte) r.nextInt(256);
        return copy;
      }
      case 3 -> { // repeat a span (duplicate members, doubled tokens)
        int len = 1 + r.nextInt(Math.min(60, line.length - at));
        out.write(line, 0, at + len);
        out.write(line, at, line.length - at);
      }
      case 4 -> out.write(line, 0, at); // truncate
      case 5 -> { // swap two bytes
        byte[] copy = line.clone();
        int other = r.nextInt(line.length);
        byte t = copy[at];
        copy[at] = copy[other];
        copy[other] = t;
        return copy;
      }
      default -> { // flip a bit
        byte[] copy = line.clone();
        copy[at] ^= (byte) (1 << r.nextInt(8));
        return copy;
      }
    }
    return out.toByteArray();
  }

  /** A random job proof record, signed in one of the schemes, written in random JSON. */
  static final class Records {
    private final Random r;
    private final boolean irregular;

    Records(Random r, boolean irregular) {
      this.r = r;
      this.irregular = irregular;
    }

    byte[] line() {
      String node = text();
      Optional<String> miner = r.nextInt(4) == 0 ? Optional.of(text()) : Optional.empty();
      long job = u64();
      long work = u64();
      long ts = u64();
      long elapsed = u64();
      boolean hasElapsed = miner.isPresent() || r.nextBoolean();
      Optional<String> mode = r.nextBoolean() ? Optional.of(text()) : Optional.empty();
      Optional<String> client = r.nextBoolean() ? Optional.of(text()) : Optional.empty();
      String signature;
      Optional<String> proofHash = Optional.empty();
      if (hasElapsed && (miner.isPresent() || r.nextBoolean())) {
        JobProofSubmission s = SIGNER.signJobProof(new JobProofPayload(NodeId.of(node), miner,
            job, work, mode.orElse("sim"), elapsed, client.orElse("unknown"), ts));
        signature = s.signature();
        if (r.nextInt(4) > 0) {
          proofHash = s.proofHash();
        }
      } else {
        signature = SIGNER.signLauncherJobProof(new LauncherJobProof(NodeId.of(node), job, work, ts));
      }
      if (r.nextInt(8) == 0) {
        signature = signature.toUpperCase(java.util.Locale.ROOT);
      }
      if (r.nextInt(10) == 0) {
        signature = HexCodec.encode(new byte[64]);
      }
      List<String> members = new ArrayList<>();
      members.add(member("node_id", string(node)));
      miner.ifPresent(m -> members.add(member("miner_id", string(m))));
      members.add(member("job_id", number(job)));
      members.add(member("work_units", number(work)));
      mode.ifPresent(m -> members.add(member("workload_mode", string(m))));
      if (hasElapsed) {
        members.add(member("elapsed_ms", number(elapsed)));
      }
      client.ifPresent(c -> members.add(member("client_version", string(c))));
      members.add(member(r.nextBoolean() ? "ts" : "timestamp_unix", number(ts)));
      String hashName = r.nextBoolean() ? "proof_hash" : "proof_hash_hex";
      proofHash.ifPresent(h -> members.add(member(hashName, hexString(h))));
      members.add(member(r.nextBoolean() ? "signature" : "signature_hex", hexString(signature)));
      if (!irregular || r.nextInt(6) > 0) {
        members.add(member("public_key_hex", hexString(KEYS.publicKey().hex())));
      }
      int unknown = r.nextInt(4);
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < unknown; i++) {
        String name = r.nextInt(3) == 0 ? "result_hash" : "x" + r.nextInt(5);
        if (names.add(name) || irregular) {
          members.add(member(name, extra()));
        }
      }
      if (irregular) {
        irregularities(members);
      }
      Collections.shuffle(members, r);
      StringBuilder b = new StringBuilder(ws()).append('{');
      for (int i = 0; i < members.size(); i++) {
        b.append(i == 0 ? "" : ",").append(ws()).append(members.get(i)).append(ws());
      }
      b.append('}').append(ws());
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void irregularities(List<String> members) {
      switch (r.nextInt(10)) {
        case 0 -> members.add(member("ts", number(u64()))); // maybe with its alias
        case 1 -> members.add(member("signature", "null"));
        case 2 -> members.add(member("job_id", "\"1\""));
        case 3 -> members.add(member("extra", "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\"}"));
        case 4 -> members.add(member("work_units", r.nextBoolean() ? "-0" : "-1"));
        case 5 -> members.add(member("elapsed_ms", r.nextBoolean() ? "1.0" : "18446744073709551616"));
        case 6 -> members.remove(r.nextInt(members.size()));
        case 7 -> members.add(member("proof_hash_hex", hexString("ab".repeat(32))));
        case 8 -> members.add(member("node_id", "7"));
        default -> members.add(member("miner_id", "null"));
      }
    }

    private String member(String name, String value) {
      String key = r.nextInt(20) == 0 && irregular ? escapeAll(name) : name;
      return "\"" + key + "\"" + ws() + ":" + ws() + value;
    }

    private String ws() {
      if (r.nextInt(3) > 0) {
        return "";
      }
      String[] spaces = irregular ? new String[] {" ", "\t", "\r", "\n", "\f", "  "}
          : new String[] {" ", "\t", "\r", "\n", "  "};
      return spaces[r.nextInt(spaces.length)];
    }

    private long u64() {
      return switch (r.nextInt(5)) {
        case 0 -> 0;
        case 1 -> -1L;
        case 2 -> r.nextInt(1000);
        default -> r.nextLong();
      };
    }

    private String text() {
      int n = r.nextInt(10);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(r.nextInt(3) == 0 ? ODD[r.nextInt(ODD.length)] : (char) ('a' + r.nextInt(26)));
      }
      return b.toString();
    }

    /** A JSON string of {@code s}, escaped in one of the ways JSON allows. */
    private String string(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        int style = r.nextInt(4);
        if (Character.isHighSurrogate(c)) {
          char low = s.charAt(++i);
          b.append(style == 0 ? String.format("\\u%04x\\u%04X", (int) c, (int) low)
              : "" + c + low);
        } else if (c == '"' || c == '\\' || c < 0x20) {
          b.append(style == 0 ? String.format("\\u%04X", (int) c)
              : style == 1 ? String.format("\\u%04x", (int) c) : shortEscape(c));
        } else if (style == 0) {
          b.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
        } else if (c == '/' && style == 1) {
          b.append("\\/");
        } else {
          b.append(c);
        }
      }
      return b.append('"').toString();
    }

    private static String shortEscape(char c) {
      return switch (c) {
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case '\b' -> "\\b";
        case '\t' -> "\\t";
        case '\n' -> "\\n";
        case '\f' -> "\\f";
        case '\r' -> "\\r";
        default -> String.format("\\u%04x", (int) c);
      };
    }

    private String hexString(String hex) {
      return irregular && r.nextInt(10) == 0 ? "\"" + escapeAll(hex) + "\"" : "\"" + hex + "\"";
    }

    private static String escapeAll(String s) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        b.append(String.format("\\u%04x", (int) s.charAt(i)));
      }
      return b.toString();
    }

    private static String number(long v) {
      return Long.toUnsignedString(v);
    }

    private String extra() {
      return switch (r.nextInt(irregular ? 9 : 6)) {
        case 0 -> string(text());
        case 1 -> Long.toString(r.nextLong());
        case 2 -> String.format(java.util.Locale.ROOT, "%.6f", r.nextDouble());
        case 3 -> r.nextBoolean() ? "true" : "false";
        case 4 -> "null";
        case 5 -> "-0.5";
        case 6 -> "[1,\"a\",{\"b\":[]}]";
        case 7 -> "1e3";
        default -> "{\"k\":{\"k\":{\"k\":1}}}";
      };
    }
  }
}
