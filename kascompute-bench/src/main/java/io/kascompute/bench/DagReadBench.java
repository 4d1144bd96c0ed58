package io.kascompute.bench;

import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading and compiling a spec document: the one-pass streaming reader ({@code
 * ComputeDag.fromSubmitBodyOrSpec}) against the tree path it replaced, in the same run ({@code
 * StrictJsonReader}, then {@code DagSpec.fromSubmitBody}, then {@code ComputeDag.compile}); plus
 * the streaming reader alone up to the compiled form's first stage, to split reading from hashing.
 *
 * <p>The document is shaped like {@code peers/gen_dag_spec.py}'s: layers of 1000 tasks, two
 * dependencies per task, a third of the tasks with small params, mixed task types.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DagReadBench {
  @Param({"20000", "200000"})
  public int tasks;

  private byte[] json;

  /** Writes the document once per trial, from a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() {
    json = document(tasks, 42).getBytes(StandardCharsets.UTF_8);
  }

  /** A submit body like the generator's, compact. */
  public static String document(int tasks, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] types = {null, null, "", "sim", "gpu", "cpu", " ", "\u00a0", "render"};
    String[] models = {"tiny", "small", "base", "large", "r\u00e9sum\u00e9", "\u6a21\u578b"};
    StringBuilder nodes = new StringBuilder(tasks * 100);
    StringBuilder edges = new StringBuilder(tasks * 80);
    int width = 1000;
    for (int i = 0; i < tasks; i++) {
      nodes.append(i == 0 ? "" : ",").append("{\"task_id\":\"task-").append(i)
          .append("\",\"work_units\":").append(1 + r.nextInt(5_000_000));
      String t = types[r.nextInt(types.length)];
      if (t != null) {
        nodes.append(",\"task_type\":\"").append(t).append('"');
      }
      if (r.nextInt(3) == 0) {
        nodes.append(",\"params\":{\"seed\":").append(r.nextLong(1L << 40)).append(",\"model\":\"")
            .append(models[r.nextInt(models.length)]).append("\",\"shape\":[")
            .append(1 + r.nextInt(63)).append(',').append(1 + r.nextInt(63)).append("]}");
      }
      nodes.append('}');
      int layerStart = i - i % width;
      if (layerStart > 0) {
        int prev = layerStart - width;
        int a = prev + r.nextInt(width);
        int b = prev + r.nextInt(width - 1);
        if (b >= a) {
          b++;
        }
        for (int from : new int[] {a, b}) {
          edges.append(edges.length() == 0 ? "" : ",").append("{\"from\":\"task-").append(from)
              .append("\",\"to\":\"task-").append(i).append("\"}");
        }
      }
    }
    return "{\"spec\":{\"name\":\"bench-" + tasks + "\",\"nodes\":[" + nodes + "],\"edges\":["
        + edges + "]}}";
  }

  /** The streaming reader: bytes to compiled, hashed DAG in one pass. */
  @Benchmark
  public ComputeDag streaming() {
    return ComputeDag.fromSubmitBodyOrSpec(json, DagLimits.V1);
  }

  /** Baseline: the tree path, the way {@code dag hash} read files before. */
  @Benchmark
  public ComputeDag tree() {
    JsonObject doc = (JsonObject) StrictJsonReader.withLimits(
        new JsonLimits(Integer.MAX_VALUE - 8, 127)).read(json);
    return ComputeDag.compile(DagSpec.fromSubmitBody(doc), DagLimits.V1);
  }
}
