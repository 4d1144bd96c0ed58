package io.kascompute.crypto;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.payload.TaskProofPayload;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Optional replay protection for verified proofs: a proof's timestamp must lie within a window
 * around the verifier's clock, and within that window each signature and each (node, job) or
 * (node, run, task) pair is accepted once. Ed25519 signatures are deterministic, so the signature
 * identifies a signed message in either scheme. Thread-safe.
 *
 * <p>Memory is bounded: entries older than the window are dropped, and when {@code maxEntries} is
 * reached the entry with the oldest timestamp is dropped and its timestamp becomes a floor, so
 * that a proof at or before the floor is refused as {@code timestamp_out_of_window} rather than
 * risk accepting a replay the guard no longer remembers.
 */
public final class ReplayGuard {
  /** The default window on either side of the clock. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(300);

  /** The default bound on remembered entries. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  private final Clock clock;
  private final long windowSeconds;
  private final int maxEntries;
  private final Map<String, Long> seen = new HashMap<>();
  private final PriorityQueue<Entry> byTimestamp = new PriorityQueue<>();
  private long floor = Long.MIN_VALUE;

  private ReplayGuard(Clock clock, long windowSeconds, int maxEntries) {
    this.clock = clock;
    this.windowSeconds = windowSeconds;
    this.maxEntries = maxEntries;
  }

  /** A guard with the default window (+-300 s) and memory bound. */
  public static ReplayGuard create(Clock clock) {
    return create(clock, DEFAULT_WINDOW, DEFAULT_MAX_ENTRIES);
  }

  /** A guard with the given window on either side of {@code clock} and memory bound (keys kept). */
  public static ReplayGuard create(Clock clock, Duration window, int maxEntries) {
    Objects.requireNonNull(clock, "clock");
    if (window.isNegative() || maxEntries < 2) {
      throw new IllegalArgumentException("window must be >= 0 and maxEntries >= 2");
    }
    return new ReplayGuard(clock, window.toSeconds(), maxEntries);
  }

  /**
   * Accepts a job proof that verified (as {@code verified} says) once: {@code
   * timestamp_out_of_window} if its {@code ts} is outside the window, {@code replayed_proof} if its
   * signature or its (node_id, job_id) was accepted before within the window; otherwise it is
   * remembered and {@code verified} is returned.
   */
  public Verdict accept(JobProofSubmission submission, Verdict.Valid verified) {
    return accept(
        submission.signature().toLowerCase(Locale.ROOT),
        "job\u0000" + submission.nodeId().value() + "\u0000"
            + Long.toUnsignedString(submission.jobId()),
        submission.ts(), verified);
  }

  /**
   * Accepts a task proof that verified once, keyed by its signature and (node_id, run_id, task_id).
   */
  public Verdict accept(TaskProofPayload payload, String signatureHex, Verdict.Valid verified) {
    return accept(
        signatureHex.toLowerCase(Locale.ROOT),
        "task\u0000" + payload.nodeId().value() + "\u0000" + payload.runId().value() + "\u0000"
            + payload.taskId().value(),
        payload.ts(), verified);
  }

  private synchronized Verdict accept(
      String signature, String pairKey, long ts, Verdict.Valid verified) {
    Objects.requireNonNull(verified, "verified");
    long now = clock.instant().getEpochSecond();
    if (ts < 0 || ts < now - windowSeconds || ts > now + windowSeconds) {
      return Verdict.invalid(
          ErrorCode.TIMESTAMP_OUT_OF_WINDOW,
          "ts " + Long.toUnsignedString(ts) + " is more than " + windowSeconds + " s from now ("
              + now + ")");
    }
    evictOlderThan(now - windowSeconds);
    if (ts <= floor) {
      return Verdict.invalid(
          ErrorCode.TIMESTAMP_OUT_OF_WINDOW,
          "ts " + ts + " is at or before the oldest timestamp the replay guard still remembers");
    }
    String hashKey = "sig\u0000" + signature;
    if (seen.containsKey(hashKey)) {
      return Verdict.invalid(ErrorCode.REPLAYED_PROOF, "this signature was seen before");
    }
    if (seen.containsKey(pairKey)) {
      return Verdict.invalid(
          ErrorCode.REPLAYED_PROOF, "a proof for the same node and job or task was seen before");
    }
    while (seen.size() + 2 > maxEntries) {
      Entry oldest = byTimestamp.poll();
      seen.remove(oldest.key);
      floor = Math.max(floor, oldest.ts);
    }
    seen.put(hashKey, ts);
    seen.put(pairKey, ts);
    byTimestamp.add(new Entry(ts, hashKey));
    byTimestamp.add(new Entry(ts, pairKey));
    return verified;
  }

  private void evictOlderThan(long oldestAllowed) {
    while (!byTimestamp.isEmpty() && byTimestamp.peek().ts < oldestAllowed) {
      seen.remove(byTimestamp.poll().key);
    }
  }

  /** The number of remembered keys (two per accepted proof). */
  public synchronized int size() {
    return seen.size();
  }

  private record Entry(long ts, String key) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      return Long.compare(ts, o.ts);
    }
  }
}
