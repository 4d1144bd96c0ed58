package io.kascompute.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link BulkVerifyBench}'s comparison in thread CPU time instead of wall time: the bulk audit of
 * the log on one thread against raw BouncyCastle verify of the same proofs, alternating in rounds
 * on the same thread, each round's proofs per CPU-second and their ratio. On a shared machine
 * whose load changes during a run, the CPU time a thread used is far steadier than the wall time
 * JMH measures (what other processes take does not count), so the ratio can still be read.
 *
 * <p>Run: {@code java -cp kascompute-bench/target/benchmarks.jar
 * io.kascompute.bench.BulkVerifyCpuTime [rounds] [logsPerRound]} (defaults 15 and 4, after a
 * warm-up of as many rounds).
 */
public final class BulkVerifyCpuTime {
  private BulkVerifyCpuTime() {}

  /** Prints each round and the median and range of the ratio. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int logs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    BulkVerifyBench bench = new BulkVerifyBench();
    bench.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int perRound = logs * BulkVerifyBench.LINES;
    double[] bulk = new double[rounds];
    double[] raw = new double[rounds];
    double[] ratio = new double[rounds];
    for (int r = -rounds; r < rounds; r++) { // the first half warms up
      long t0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < logs; i++) {
        if (bench.verifyLogOnce().valid() != BulkVerifyBench.LINES) {
          throw new IllegalStateException("the log does not verify");
        }
      }
      long t1 = threads.getCurrentThreadCpuTime();
      int valid = 0;
      for (int i = 0; i < perRound; i++) {
        valid += bench.bouncyCastleRaw() ? 1 : 0;
      }
      long t2 = threads.getCurrentThreadCpuTime();
      if (valid != perRound) {
        throw new IllegalStateException("raw verify failed");
      }
      if (r >= 0) {
        bulk[r] = perRound * 1e9 / (t1 - t0);
        raw[r] = perRound * 1e9 / (t2 - t1);
        ratio[r] = bulk[r] / raw[r];
        System.out.printf("round %2d: bulk %7.0f proofs per CPU-s, raw %7.0f, ratio %.3f (load %.2f)%n",
            r + 1, bulk[r], raw[r], ratio[r],
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }
    bench.tearDown();
    System.out.printf("median (min-max): bulk %s, raw %s, ratio %s%n", summary(bulk, "%.0f"),
        summary(raw, "%.0f"), summary(ratio, "%.3f"));
  }

  private static String summary(double[] values, String format) {
    double[] v = values.clone();
    Arrays.sort(v);
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(format + " (" + format + "-" + format + ")", median, v[0], v[v.length - 1]);
  }
}
