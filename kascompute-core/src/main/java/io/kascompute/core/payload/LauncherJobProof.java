package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.StrictUtf8;
import java.util.Objects;

/**
 * The message the public node launcher signs for a job proof: the bytes {@code
 * pf|<node_id>|<job_id>|<work_units>|<ts>}, numbers in unsigned decimal without padding, the node
 * id as raw UTF-8. It binds node, job, work units and time only.
 */
public record LauncherJobProof(NodeId nodeId, long jobId, long workUnits, long ts) {

  /** Checks that the node id is not null. */
  public LauncherJobProof {
    Objects.requireNonNull(nodeId, "nodeId");
  }

  /**
   * The exact bytes that are signed (no hash step).
   *
   * @throws io.kascompute.core.KasComputeException {@code invalid_utf8} if a string holds a lone
   *     surrogate
   */
  public byte[] message() {
    return StrictUtf8.encode("pf|" + nodeId.value() + '|' + Long.toUnsignedString(jobId) + '|'
        + Long.toUnsignedString(workUnits) + '|' + Long.toUnsignedString(ts));
  }

  /** The launcher message that the same fields of a digest-scheme payload would sign. */
  public static LauncherJobProof of(JobProofPayload payload) {
    return new LauncherJobProof(payload.nodeId(), payload.jobId(), payload.workUnits(), payload.ts());
  }
}
