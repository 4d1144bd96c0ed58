package io.kascompute.dag.lease;

import io.kascompute.core.DagId;
import io.kascompute.core.Sha256Digest;
import java.util.Objects;

/** A stored DAG as the read views list it. */
public record DagSummary(DagId dagId, Sha256Digest rootHash, String name, int tasks, int edges) {
  /** Checks that nothing is null. */
  public DagSummary {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(rootHash, "rootHash");
    Objects.requireNonNull(name, "name");
  }
}
