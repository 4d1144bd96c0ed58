package io.kascompute.core.payload;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.StrictUtf8;
import java.util.Objects;

/**
 * The message the public node launcher signs for a heartbeat: the bytes {@code
 * hb|<node_id>|<compute_profile>|<timestamp_unix>}, the timestamp in unsigned decimal, node id
 * and profile as raw UTF-8 (a heartbeat without a string {@code compute_profile} signs the empty
 * string there).
 */
public record LauncherHeartbeat(NodeId nodeId, String computeProfile, long timestampUnix) {

  /** Checks that nothing is null. */
  public LauncherHeartbeat {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(computeProfile, "computeProfile");
  }

  /**
   * The exact bytes that are signed (no hash step).
   *
   * @throws io.kascompute.core.KasComputeException {@code invalid_utf8} if a string holds a lone
   *     surrogate
   */
  public byte[] message() {
    return StrictUtf8.encode("hb|" + nodeId.value() + '|' + computeProfile + '|'
        + Long.toUnsignedString(timestampUnix));
  }
}
