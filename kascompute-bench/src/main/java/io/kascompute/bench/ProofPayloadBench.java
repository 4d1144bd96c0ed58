package io.kascompute.bench;

import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherJobProof;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The signed bytes of a job proof in both schemes, built from the record. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProofPayloadBench {
  private final JobProofPayload payload = new JobProofPayload(
      NodeId.of("kc_node_01"), Optional.empty(), 123, 42, "sim", 150, "launcher-miner/0.2.0",
      1710000000L);

  /** The V1 worked example's payload bytes. */
  @Benchmark
  public byte[] v1Bytes() {
    return payload.canonicalBytes();
  }

  /** The launcher scheme's message of the same proof: pf|node_id|job_id|work_units|ts. */
  @Benchmark
  public byte[] launcherBytes() {
    return LauncherJobProof.of(payload).message();
  }
}
