package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.DagSpec;
import io.kascompute.core.wire.Fields;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.DagLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DagVectorsTest {
  static byte[] resource(String name) throws IOException {
    try (InputStream in = DagVectorsTest.class.getResourceAsStream("vectors/dag/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Unicode White_Space (Rust's str::trim), written out here apart from production. */
  private static final String WHITE_SPACE = "\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002"
      + "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

  @ParameterizedTest
  @ValueSource(strings = {"diamond", "code-point-order", "escapes-and-numbers",
      "whitespace-task-types", "duplicate-edges", "control-characters", "empty"})
  void vectorHolds(String name) throws Exception {
    byte[] specBytes = resource(name + ".spec.json");
    JsonObject specDoc = (JsonObject) StrictJsonReader.withDefaults().read(specBytes);
    JsonObject expected =
        (JsonObject) StrictJsonReader.withDefaults().read(resource(name + ".expected.json"));
    DagSpec spec = specDoc.members().containsKey("nodes")
        ? DagSpec.fromJson(specDoc) : DagSpec.fromSubmitBody(specDoc);
    check(ComputeDag.compile(spec), expected);
    check(ComputeDag.fromSubmitBodyOrSpec(specBytes, DagLimits.V1), expected);
  }

  private static void check(ComputeDag dag, JsonObject expected) throws Exception {
    String root = Fields.string(expected, "dag_root_hash");
    byte[] canonical = Fields.string(expected, "canonical").getBytes(StandardCharsets.UTF_8);
    assertThat(dag.canonicalSpecBytes()).isEqualTo(canonical);
    assertThat(dag.rootHash().hex()).isEqualTo(root);
    assertThat(sha256(canonical)).as("root = SHA-256(canonical)").isEqualTo(root);

    List<JsonValue> tasks = ((JsonArray) expected.members().get("tasks")).elements();
    assertThat(dag.taskCount()).isEqualTo(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject t = (JsonObject) tasks.get(i);
      String id = Fields.string(t, "task_id");
      long wu = Fields.u64(t, "work_units");
      String type = Fields.optionalString(t, "task_type").orElse("");
      String params = Fields.string(t, "params");
      String hash = Fields.string(t, "task_hash");
      // Independent recomputation from the listed fields: no production hashing code involved.
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(("task|" + root + "|" + id + "|").getBytes(StandardCharsets.UTF_8));
      for (int k = 0; k < 8; k++) {
        b.write((int) (wu >>> (8 * k)) & 0xff);
      }
      b.writeBytes(("|" + type + "|" + params).getBytes(StandardCharsets.UTF_8));
      assertThat(sha256(b.toByteArray())).as(id).isEqualTo(hash);
      assertThat(dag.taskIdString(i)).isEqualTo(id);
      assertThat(dag.workUnits(i)).isEqualTo(wu);
      assertThat(dag.rawTaskType(i)).isEqualTo(type);
      boolean blank = type.codePoints().allMatch(cp -> WHITE_SPACE.indexOf(cp) >= 0);
      assertThat(dag.taskType(i)).as(id).isEqualTo(blank ? "sim" : type);
      assertThat(new String(dag.canonicalParams(i), StandardCharsets.UTF_8)).isEqualTo(params);
      assertThat(dag.taskHash(i).hex()).isEqualTo(hash);
    }
  }
}
