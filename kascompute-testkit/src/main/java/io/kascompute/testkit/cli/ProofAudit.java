package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.crypto.BulkVerifier;
import io.kascompute.crypto.ProofVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Audits a proof log offline with the crypto module's bulk verifier, on every core. */
final class ProofAudit {
  private ProofAudit() {}

  /** The audit's totals and the count of invalid lines per reason. */
  record Result(long total, long valid, long invalid, Map<String, Long> reasons) {}

  static Result audit(Path log) throws IOException {
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "kascompute-audit");
      t.setDaemon(true);
      return t;
    });
    try (InputStream in = Files.newInputStream(log)) {
      BulkVerifier.Summary s = BulkVerifier.create(ProofVerifier.create(), pool, threads)
          .verify(in, line -> { });
      Map<String, Long> reasons = new TreeMap<>();
      for (Map.Entry<ErrorCode, Long> e : s.reasons().entrySet()) {
        reasons.put(e.getKey().wireName(), e.getValue());
      }
      return new Result(s.lines(), s.valid(), s.invalid(), reasons);
    } finally {
      pool.shutdownNow();
    }
  }
}
