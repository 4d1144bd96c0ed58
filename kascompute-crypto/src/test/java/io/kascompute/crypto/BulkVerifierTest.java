package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.payload.JobProofPayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkVerifierTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(3);
  private final ProofSigner signer = ProofSigner.of(Rfc8032Test1.KEYS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private String line(String node, long jobId, long workUnits) {
    return new String(signer.signJobProof(new JobProofPayload(NodeId.of(node), Optional.empty(),
        jobId, workUnits, "sim", 5, "v", 1_710_000_000L)).toJsonBytes(), StandardCharsets.UTF_8);
  }

  private BulkVerifier.Summary run(ProofVerifier verifier, InputStream in,
      List<BulkVerifier.LineResult> out) throws IOException {
    return BulkVerifier.create(verifier, pool, 3).verify(in, out::add);
  }

  @Test
  void keepsInputOrderReportsBadLinesAndSummarises() throws IOException {
    StringBuilder in = new StringBuilder();
    List<Long> badLines = new ArrayList<>();
    long workA = 0;
    int n = 2000;
    for (int i = 1; i <= n; i++) {
      if (i % 97 == 0) {
        in.append("{not json\n");
        badLines.add((long) i);
      } else if (i % 101 == 0) {
        in.append(line("node-b", i, 3).replace("\"work_units\":3", "\"work_units\":4")).append('\n');
        badLines.add((long) i);
      } else if (i % 50 == 0) {
        in.append(" \t\r\n");
      } else {
        in.append(line("node-a", i, i)).append(i % 2 == 0 ? "\r\n" : "\n");
        workA += i;
      }
    }
    List<BulkVerifier.LineResult> out = new ArrayList<>();
    BulkVerifier.Summary s = run(ProofVerifier.create(),
        new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)), out);

    long blanks = java.util.stream.IntStream.rangeClosed(1, n)
        .filter(i -> i % 97 != 0 && i % 101 != 0 && i % 50 == 0).count();
    assertThat(out).hasSize((int) (n - blanks));
    assertThat(out).extracting(BulkVerifier.LineResult::lineNumber).isSorted();
    assertThat(out).filteredOn(r -> r.verdict() instanceof Verdict.Invalid)
        .extracting(BulkVerifier.LineResult::lineNumber).containsExactlyElementsOf(badLines);
    assertThat(s.lines()).isEqualTo(n - blanks);
    assertThat(s.invalid()).isEqualTo(badLines.size());
    assertThat(s.valid()).isEqualTo(n - blanks - badLines.size());
    assertThat(s.reasons()).containsEntry(ErrorCode.MALFORMED_JSON, (long) (n / 97))
        .containsEntry(ErrorCode.HASH_MISMATCH, (long) (n / 101 - n / (97 * 101)));
    BulkVerifier.NodeTally a = s.nodes().get(NodeId.of("node-a"));
    assertThat(a.validProofs()).isEqualTo(s.valid());
    assertThat(a.workUnits()).isEqualTo(BigInteger.valueOf(workA));
    assertThat(s.nodes().get(NodeId.of("node-b")).invalidProofs()).isEqualTo(n / 101);
  }

  @Test
  void workUnitsAreSummedBeyondSixtyFourBits() throws IOException {
    long max = -1L; // 2^64 - 1 as an unsigned work_units value
    String input = line("big", 1, max) + "\n" + line("big", 2, max) + "\n" + line("big", 3, 2);
    BulkVerifier.Summary s = run(ProofVerifier.create(),
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new ArrayList<>());
    BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
    assertThat(s.nodes().get(NodeId.of("big")).workUnits())
        .isEqualTo(twoTo64.subtract(BigInteger.ONE).multiply(BigInteger.TWO).add(BigInteger.TWO))
        .isEqualTo(twoTo64.shiftLeft(1));
  }

  @Test
  void anOversizeLineIsReportedAndTheRunGoesOn() throws IOException {
    ProofVerifier small = ProofVerifier.create(JsonLimits.DEFAULT.withMaxBytes(1024), 16);
    String big = "{\"pad\":\"" + "x".repeat(200_000) + "\"}";
    String input = line("a", 1, 1) + "\n" + big + "\n" + line("a", 2, 1);
    List<BulkVerifier.LineResult> out = new ArrayList<>();
    BulkVerifier.Summary s = run(small,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
    assertThat(out).extracting(r -> r.verdict().reason().orElse(null))
        .containsExactly(null, ErrorCode.BODY_TOO_LARGE, null);
    assertThat(out.get(2).lineNumber()).isEqualTo(3);
    assertThat(s.valid()).isEqualTo(2);
  }

  @Test
  void everyVerdictIsTheSingleLineVerdictAndCarriesTheIdsThatCouldBeRead() throws IOException {
    StringBuilder in = new StringBuilder();
    List<String> lines = new ArrayList<>();
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < 3000; i++) {
      String node = "n\u0001" + r.nextInt(40);
      String l = r.nextBoolean() ? line(node, i, i) : launcherLine(node, i, i);
      switch (r.nextInt(12)) {
        case 0 -> l = l.replace("\"work_units\":" + i, "\"work_units\":" + (i + 1));
        case 1 -> l = l.substring(0, l.length() / 2);
        case 2 -> l = l.replaceFirst(",\"public_key_hex\":\"[0-9a-f]+\"", "");
        case 3 -> l = l.replace("\"job_id\":" + i, "\"job_id\":\"" + i + "\"");
        default -> { }
      }
      lines.add(l);
      in.append(l).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    List<BulkVerifier.LineResult> out = new ArrayList<>();
    BulkVerifier.Summary s = run(ProofVerifier.create(),
        new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)), out);
    assertThat(out).hasSize(lines.size());
    ProofVerifier single = ProofVerifier.create();
    long valid = 0;
    for (int i = 0; i < lines.size(); i++) {
      BulkVerifier.LineResult result = out.get(i);
      byte[] bytes = lines.get(i).getBytes(StandardCharsets.UTF_8);
      Verdict expected = single.verifyJobProofJson(bytes);
      assertThat(result.lineNumber()).isEqualTo(i + 1);
      assertThat(result.verdict().reason()).as(lines.get(i)).isEqualTo(expected.reason());
      assertThat(result.verdict().scheme()).isEqualTo(expected.scheme());
      valid += expected instanceof Verdict.Valid ? 1 : 0;
      boolean json = !lines.get(i).endsWith("\"") && lines.get(i).endsWith("}");
      if (json) {
        assertThat(result.nodeId()).as(lines.get(i)).isPresent();
        assertThat(result.nodeId().get().value()).startsWith("n\u0001");
        assertThat(result.jobId().isPresent()).isEqualTo(!lines.get(i).contains("\"job_id\":\""));
      } else {
        assertThat(result.verdict().reason()).contains(ErrorCode.MALFORMED_JSON);
        assertThat(result.nodeId()).isEmpty();
      }
    }
    assertThat(s.valid()).isEqualTo(valid);
    assertThat(s.nodes().values().stream().mapToLong(t -> t.validProofs() + t.invalidProofs())
        .sum()).isEqualTo(out.stream().filter(x -> x.nodeId().isPresent()).count());
  }

  @Test
  void theNodeTableIsBoundedAndTheRestIsSummedExactly() throws IOException {
    StringBuilder in = new StringBuilder();
    long work = 0;
    for (int i = 0; i < 50; i++) {
      in.append(line("node-" + (i % 10), i, 1000 + i)).append('\n');
      work += 1000 + i;
    }
    in.append("{\"node_id\":\"node-9\",\"job_id\":1}\n");
    in.append("{\"node_id\":\"node-0\",\"job_id\":1}\n");
    BulkVerifier.Summary s = BulkVerifier.create(ProofVerifier.create(), pool, 3, 4)
        .verify(new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)), x -> { });
    assertThat(s.nodes()).hasSize(4).containsOnlyKeys(
        NodeId.of("node-0"), NodeId.of("node-1"), NodeId.of("node-2"), NodeId.of("node-3"));
    assertThat(s.nodesTruncated()).isTrue();
    assertThat(s.otherNodes().validProofs()).isEqualTo(30);
    assertThat(s.otherNodes().invalidProofs()).isEqualTo(1);
    assertThat(s.nodes().get(NodeId.of("node-0")).invalidProofs()).isEqualTo(1);
    BigInteger listed = s.nodes().values().stream().map(BulkVerifier.NodeTally::workUnits)
        .reduce(BigInteger.ZERO, BigInteger::add);
    assertThat(listed.add(s.otherNodes().workUnits())).isEqualTo(BigInteger.valueOf(work));

    String longId = "x".repeat(BulkVerifier.ID_CHARS_PER_NODE * 2 + 1);
    BulkVerifier.Summary byChars = BulkVerifier.create(ProofVerifier.create(), pool, 3, 2)
        .verify(new ByteArrayInputStream((line(longId, 1, 5) + "\n" + line("short", 2, 6))
            .getBytes(StandardCharsets.UTF_8)), x -> { });
    assertThat(byChars.nodes()).containsOnlyKeys(NodeId.of("short"));
    assertThat(byChars.otherNodes().workUnits()).isEqualTo(BigInteger.valueOf(5));

    BulkVerifier.Summary none = BulkVerifier.create(ProofVerifier.create(), pool, 3, 0)
        .verify(new ByteArrayInputStream(line("a", 1, 5).getBytes(StandardCharsets.UTF_8)), x -> { });
    assertThat(none.nodes()).isEmpty();
    assertThat(none.otherNodes().validProofs()).isEqualTo(1);
  }

  @Test
  void longLinesAtEveryPositionKeepTheNumbering() throws IOException {
    ProofVerifier small = ProofVerifier.create(JsonLimits.DEFAULT.withMaxBytes(1000), 16);
    String ok = line("a", 1, 1);
    String atLimit = ok.replace("{", "{\"pad\":\"" + "y".repeat(1000 - ok.length() - 9) + "\",");
    assertThat(atLimit.length()).isEqualTo(1000);
    String over = atLimit.replace("\"pad\":\"", "\"pad\":\"y");
    String huge = "z".repeat(300_000);
    String input = over + "\n" + ok + "\r\n" + atLimit + "\r\n" + huge + "\r\n\n" + ok + "\n" + huge;
    List<BulkVerifier.LineResult> out = new ArrayList<>();
    run(small, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
    assertThat(out).extracting(BulkVerifier.LineResult::lineNumber).containsExactly(1L, 2L, 3L, 4L, 6L, 7L);
    assertThat(out).extracting(x -> x.verdict().reason().orElse(null)).containsExactly(
        ErrorCode.BODY_TOO_LARGE, null, null, ErrorCode.BODY_TOO_LARGE, null, ErrorCode.BODY_TOO_LARGE);
  }

  private String launcherLine(String node, long jobId, long workUnits) {
    return new String(signer.signLauncherJobProof(new JobProofPayload(NodeId.of(node),
        Optional.empty(), jobId, workUnits, "sim", 5, "protocol-v1", 1_710_000_000L)).toJsonBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void emptyInputGivesAnEmptySummary() throws IOException {
    List<BulkVerifier.LineResult> out = new ArrayList<>();
    BulkVerifier.Summary s = run(ProofVerifier.create(), new ByteArrayInputStream(new byte[0]), out);
    assertThat(out).isEmpty();
    assertThat(s.lines()).isZero();
  }
}
