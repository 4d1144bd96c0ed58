package io.kascompute.core;

import java.util.Objects;

/**
 * A DAG's identifier; the deployed coordinator uses the 64-hex {@code dag_root_hash} as the id,
 * and so does this SDK.
 */
public record DagId(String value) implements Comparable<DagId> {
  /** Checks that the value is not null; any string names a DAG (unknown ones are simply not found). */
  public DagId {
    Objects.requireNonNull(value, "dag_id");
  }

  /** Wraps a value. */
  public static DagId of(String value) {
    return new DagId(value);
  }

  /** The id of a DAG whose root hash is {@code rootHash}. */
  public static DagId of(Sha256Digest rootHash) {
    return new DagId(rootHash.hex());
  }

  @Override
  public int compareTo(DagId other) {
    return CodePointOrder.compare(value, other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
