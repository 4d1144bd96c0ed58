package io.kascompute.core;

/**
 * A DAG's identifier; the deployed coordinator uses the 64-hex {@code dag_root_hash} as the id,
 * and so does this SDK.
 */
public record DagId(String value) implements Comparable<DagId> {
  /** The longest accepted value, in UTF-16 units. */
  public static final int MAX_LENGTH = 256;

  /** Validates and wraps a value; refuses empty, oversize or control-character ids. */
  public DagId {
    Identifiers.check("dag_id", value, MAX_LENGTH);
  }

  /** Validates and wraps a value. */
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
