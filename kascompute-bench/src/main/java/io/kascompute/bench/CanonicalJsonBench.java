package io.kascompute.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kascompute.core.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * RFC 8785 canonicalization of a ~1 KB nested document from its bytes, against Jackson writing
 * the same document (parsed once into a tree) without any canonicalization.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CanonicalJsonBench {
  /** A ~1 KB document shaped like protocol traffic: nested objects, arrays, strings, numbers. */
  static final String DOCUMENT = """
      {"status":"ok","ts":1710000000,"error":null,
       "data":{"run_id":"run-dag_7f3a-12","dag_id":"dag_7f3a","name":"nightly render",
        "tasks_total":48,"tasks_ready":3,"tasks_running":5,"tasks_completed":40,"tasks_failed":0,
        "progress":0.8333333333333334,"load":[0.25,1.5,12.75,-3.0e-5,6.02214076e23],
        "nodes":[{"node_id":"kc_9f86d081884c7d65","roles":["node","miner"],"latitude":52.52,
          "longitude":13.405,"country":"DE","client_version":"launcher-miner/0.2.0",
          "compute_profile":{"cpu_cores":16,"gpu":"none","mem_gb":64}},
         {"node_id":"kc_node_01","roles":["node"],"latitude":-33.8688,"longitude":151.2093,
          "country":"AU","client_version":"launcher-miner/0.1.9",
          "compute_profile":{"cpu_cores":4,"gpu":"rtx-3060","mem_gb":16}}],
        "tasks":[{"task_id":"t01","work_units":42,"task_type":"render","deps":[]},
         {"task_id":"t02","work_units":7,"task_type":"encode","deps":["t01"]},
         {"task_id":"t03","work_units":1000000,"task_type":"hash","deps":["t01","t02"]}],
        "labels":{"zeta":"last","alpha":"first","\u00e9t\u00e9":"summer","emoji":"\ud83d\ude80",
          "quote":"say \\"hi\\"\\n"}}}
      """;

  private final ObjectMapper mapper = new ObjectMapper();
  private byte[] bytes;
  private JsonNode tree;

  /** Parses the document once for the Jackson baseline. */
  @Setup
  public void setUp() throws IOException {
    bytes = DOCUMENT.getBytes(StandardCharsets.UTF_8);
    tree = mapper.readTree(bytes);
  }

  /** Baseline: Jackson writes the parsed tree back to bytes, no canonicalization. */
  @Benchmark
  public byte[] jacksonPlain() throws IOException {
    return mapper.writeValueAsBytes(tree);
  }

  /** Strict read plus RFC 8785 write of the document's bytes. */
  @Benchmark
  public byte[] rfc8785() {
    return CanonicalJson.canonicalize(bytes);
  }
}
