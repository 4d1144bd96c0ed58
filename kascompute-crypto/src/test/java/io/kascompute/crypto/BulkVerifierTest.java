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
  void emptyInputGivesAnEmptySummary() throws IOException {
    List<BulkVerifier.LineResult> out = new ArrayList<>();
    BulkVerifier.Summary s = run(ProofVerifier.create(), new ByteArrayInputStream(new byte[0]), out);
    assertThat(out).isEmpty();
    assertThat(s.lines()).isZero();
  }
}
