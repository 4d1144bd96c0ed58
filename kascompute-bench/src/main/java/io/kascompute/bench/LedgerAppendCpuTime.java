package io.kascompute.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link LedgerAppendBench}'s operations timed in thread CPU time, alternating in rounds on one
 * thread: appends per CPU-second of the SHA-256 baseline, {@code append} and {@code
 * appendAndStore}, each round on a fresh log. Readable on a loaded shared machine, where JMH's
 * wall-time error exceeds the score.
 *
 * <p>Run: {@code java -cp kascompute-bench/target/benchmarks.jar
 * io.kascompute.bench.LedgerAppendCpuTime [rounds] [appendsPerRound]} (defaults 10 and 200,000,
 * after a warm-up of as many rounds).
 */
public final class LedgerAppendCpuTime {
  private LedgerAppendCpuTime() {}

  /** Prints each round and the median and range per operation. */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    LedgerAppendBench bench = new LedgerAppendBench();
    bench.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] names = {"baselineSha256OfLeaf", "append", "appendAndStore"};
    double[][] rates = new double[names.length][rounds];
    long sink = 0;
    for (int r = -rounds; r < rounds; r++) { // the first half warms up
      for (int op = 0; op < names.length; op++) {
        bench.freshLog();
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += switch (op) {
            case 0 -> bench.baselineSha256OfLeaf()[0];
            case 1 -> bench.append();
            default -> bench.appendAndStore();
          };
        }
        long t1 = threads.getCurrentThreadCpuTime();
        if (r >= 0) {
          rates[op][r] = n * 1e9 / (t1 - t0);
        }
      }
      if (r >= 0) {
        System.out.printf("round %2d: baseline %7.0f, append %7.0f, appendAndStore %7.0f per CPU-s"
            + " (load %.2f)%n", r + 1, rates[0][r], rates[1][r], rates[2][r],
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }
    for (int op = 0; op < names.length; op++) {
      double[] v = rates[op].clone();
      Arrays.sort(v);
      System.out.printf("%s: median %.0f (%.0f-%.0f) per CPU-s%n", names[op], v[rounds / 2],
          v[0], v[rounds - 1]);
    }
    System.out.println(sink == 42 ? "" : "done");
  }
}
