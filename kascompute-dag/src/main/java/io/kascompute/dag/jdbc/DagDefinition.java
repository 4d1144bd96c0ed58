package io.kascompute.dag.jdbc;

import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.internal.DagAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code kc_dag.definition} bytes: a compiled DAG in compact binary form (format 1), so a
 * store can answer {@code dag(id)} without recompiling or rehashing.
 *
 * <p>Layout (big-endian): byte format {@code 1}; name; 32-byte root hash; int task count; per
 * task: id, long work units, raw task type, 32-byte task hash; int edge count; per task in index
 * order: int dependent count, then each dependent's index. Strings are an int UTF-8 length and
 * the bytes.
 */
final class DagDefinition {
  private static final int FORMAT = 1;

  private DagDefinition() {}

  static byte[] encode(ComputeDag dag) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + dag.taskCount() * 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      writeString(out, dag.name());
      out.write(dag.rootHash().toByteArray());
      int n = dag.taskCount();
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        writeString(out, dag.taskId(i).value());
        out.writeLong(dag.workUnits(i));
        writeString(out, dag.rawTaskType(i));
        out.write(dag.taskHash(i).toByteArray());
      }
      out.writeInt(dag.edgeCount());
      for (int i = 0; i < n; i++) {
        int count = dag.dependentCount(i);
        out.writeInt(count);
        for (int k = 0; k < count; k++) {
          out.writeInt(dag.dependent(i, k));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes stored bytes; a malformed definition is reported as an {@link IOException}. */
  static ComputeDag decode(byte[] definition) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(definition));
    int format = in.readUnsignedByte();
    if (format != FORMAT) {
      throw new IOException("unknown DAG definition format " + format);
    }
    String name = readString(in);
    Sha256Digest root = readDigest(in);
    int n = in.readInt();
    if (n < 0 || n > definition.length) {
      throw new IOException("bad task count " + n);
    }
    TaskId[] ids = new TaskId[n];
    long[] workUnits = new long[n];
    String[] types = new String[n];
    Sha256Digest[] hashes = new Sha256Digest[n];
    for (int i = 0; i < n; i++) {
      ids[i] = TaskId.of(readString(in));
      workUnits[i] = in.readLong();
      types[i] = readString(in);
      hashes[i] = readDigest(in);
    }
    int edges = in.readInt();
    if (edges < 0 || edges > definition.length) {
      throw new IOException("bad edge count " + edges);
    }
    int[] start = new int[n + 1];
    int[] dependents = new int[edges];
    int[] inDegree = new int[n];
    int e = 0;
    for (int i = 0; i < n; i++) {
      int count = in.readInt();
      if (count < 0 || e + count > edges) {
        throw new IOException("bad dependent count " + count + " of task " + i);
      }
      for (int k = 0; k < count; k++) {
        int d = in.readInt();
        if (d < 0 || d >= n) {
          throw new IOException("bad dependent index " + d);
        }
        dependents[e++] = d;
        inDegree[d]++;
      }
      start[i + 1] = e;
    }
    if (e != edges || in.available() != 0) {
      throw new IOException("DAG definition length does not match its counts");
    }
    return DagAccess.factory()
        .create(name, root, ids, workUnits, types, hashes, inDegree, start, dependents);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > in.available()) {
      throw new IOException("bad string length " + len);
    }
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }

  private static Sha256Digest readDigest(DataInputStream in) throws IOException {
    return Sha256Digest.of(in.readNBytes(Sha256Digest.LENGTH));
  }
}
