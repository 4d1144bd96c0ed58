package io.kascompute.core.presence;

import io.kascompute.core.wire.HeartbeatRequest;
import java.util.Optional;

/**
 * The geo-enrichment hook a host implements (for example over a GeoIP database) to locate a node
 * when it sends a heartbeat. Implementations must be thread-safe and fast: they run inside the
 * heartbeat call.
 */
@FunctionalInterface
public interface GeoEnricher {

  /**
   * Locates the node that sent {@code heartbeat}.
   *
   * @param remoteAddress the peer address as the host's HTTP layer saw it, when it passed one
   * @return the location, or empty if unknown
   * @throws io.kascompute.core.KasComputeException {@code invalid_geo} to refuse the heartbeat
   */
  Optional<GeoLocation> locate(HeartbeatRequest heartbeat, Optional<String> remoteAddress);

  /**
   * The default hook: the heartbeat's own {@code latitude}, {@code longitude} and {@code country},
   * range-checked ({@code invalid_geo}); empty when the heartbeat carries none.
   */
  static GeoEnricher fromHeartbeat() {
    return (heartbeat, remoteAddress) -> {
      GeoLocation g = new GeoLocation(heartbeat.latitude(), heartbeat.longitude(), heartbeat.country());
      return g.isEmpty() ? Optional.empty() : Optional.of(g);
    };
  }
}
