package io.kascompute.bench;

import io.kascompute.core.NodeId;
import io.kascompute.core.payload.JobProofPayload;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The V1 proof payload's canonical bytes, built from the record. */
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
}
