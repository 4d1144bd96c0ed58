package io.kascompute.core.presence;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.wire.HeartbeatRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator's view of node presence: who sent heartbeats, when, with which key, roles and
 * location. A node is online while less than {@link #onlineTtl()} (default 180 s) has passed since
 * its last heartbeat.
 *
 * <p>The first heartbeat of a node registers its public key; a later heartbeat with another key is
 * refused with {@code key_mismatch} (keys never rotate silently; a host that wants to allow a
 * rotation calls {@link #forget}). Memory is bounded: nodes offline for longer than {@link
 * #evictAfter()} are dropped, and when more than {@link #maxNodes()} are known the least recently
 * seen are dropped first. Thread-safe.
 */
public final class NodeRegistry {
  private final Duration onlineTtl;
  private final Duration evictAfter;
  private final int maxNodes;
  private final Map<NodeId, NodeInfo> nodes = new HashMap<>();
  private int heartbeatsSinceSweep;

  private NodeRegistry(Duration onlineTtl, Duration evictAfter, int maxNodes) {
    this.onlineTtl = onlineTtl;
    this.evictAfter = evictAfter;
    this.maxNodes = maxNodes;
  }

  /** A registry with the defaults: online for 180 s, evicted after 24 h offline, 100,000 nodes. */
  public static NodeRegistry create() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How long a node counts as online after its last heartbeat. */
  public Duration onlineTtl() {
    return onlineTtl;
  }

  /** How long an offline node is kept before it may be evicted. */
  public Duration evictAfter() {
    return evictAfter;
  }

  /** The most nodes kept at once. */
  public int maxNodes() {
    return maxNodes;
  }

  /**
   * Records a heartbeat whose signature (if any) the caller has already checked.
   *
   * @param key the public key the heartbeat carries
   * @return the node's updated record
   * @throws KasComputeException {@code key_mismatch} if the node registered another key
   */
  public synchronized NodeInfo heartbeat(
      HeartbeatRequest heartbeat, PublicKeyBytes key, Optional<GeoLocation> geo, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(geo, "geo");
    Objects.requireNonNull(now, "now");
    NodeId id = heartbeat.nodeId();
    NodeInfo old = nodes.get(id);
    if (old != null && !old.publicKey().equals(key)) {
      throw new KasComputeException(
          ErrorCode.KEY_MISMATCH,
          "node " + id + " registered public key " + old.publicKey().hex()
              + "; heartbeat carries " + key.hex());
    }
    Instant first = old == null ? now : old.firstSeen();
    Instant since = old == null || !isOnline(old, now) ? now : old.onlineSince();
    Instant last = old == null || now.isAfter(old.lastSeen()) ? now : old.lastSeen();
    Optional<GeoLocation> where = geo.isPresent() || old == null ? geo : old.geo();
    NodeInfo info = new NodeInfo(
        id, first, since, last, heartbeat.roles(), heartbeat.clientVersion(),
        heartbeat.computeProfile(), key, where);
    nodes.put(id, info);
    if (nodes.size() > maxNodes || ++heartbeatsSinceSweep >= 1024) {
      evict(now);
    }
    return info;
  }

  /** What is known about a node, if anything. */
  public synchronized Optional<NodeInfo> node(NodeId id) {
    return Optional.ofNullable(nodes.get(id));
  }

  /** The public key a node registered, if known. */
  public synchronized Optional<PublicKeyBytes> registeredKey(NodeId id) {
    NodeInfo n = nodes.get(id);
    return n == null ? Optional.empty() : Optional.of(n.publicKey());
  }

  /** Whether the node sent a heartbeat within the online TTL before {@code now}. */
  public synchronized boolean isOnline(NodeId id, Instant now) {
    NodeInfo n = nodes.get(id);
    return n != null && isOnline(n, now);
  }

  /** The nodes online at {@code now}, in node-id order. */
  public synchronized List<NodeInfo> online(Instant now) {
    List<NodeInfo> out = new ArrayList<>();
    for (NodeInfo n : nodes.values()) {
      if (isOnline(n, now)) {
        out.add(n);
      }
    }
    out.sort(Comparator.comparing(NodeInfo::nodeId));
    return out;
  }

  /**
   * The number of nodes whose last heartbeat lies within {@code period} before {@code now}.
   *
   * @param minersOnly count only nodes that declared the {@code miner} role
   */
  public synchronized long activeCount(Instant now, Duration period, boolean minersOnly) {
    Instant from = now.minus(period);
    long count = 0;
    for (NodeInfo n : nodes.values()) {
      if (n.lastSeen().isAfter(from) && (!minersOnly || n.isMiner())) {
        count++;
      }
    }
    return count;
  }

  /** Forgets a node, so that its next heartbeat may register a new key. */
  public synchronized boolean forget(NodeId id) {
    return nodes.remove(id) != null;
  }

  /** The number of nodes kept. */
  public synchronized int size() {
    return nodes.size();
  }

  /** Drops nodes offline for longer than {@link #evictAfter()}, then the least recently seen beyond {@link #maxNodes()}. */
  public synchronized void evict(Instant now) {
    heartbeatsSinceSweep = 0;
    Instant cutoff = now.minus(onlineTtl).minus(evictAfter);
    nodes.values().removeIf(n -> n.lastSeen().isBefore(cutoff));
    if (nodes.size() > maxNodes) {
      List<NodeInfo> byAge = new ArrayList<>(nodes.values());
      byAge.sort(Comparator.comparing(NodeInfo::lastSeen).thenComparing(NodeInfo::nodeId));
      int drop = nodes.size() - maxNodes;
      for (int i = 0; i < drop; i++) {
        nodes.remove(byAge.get(i).nodeId());
      }
    }
  }

  private boolean isOnline(NodeInfo n, Instant now) {
    return now.isBefore(n.lastSeen().plus(onlineTtl));
  }

  /** Configures a {@link NodeRegistry}. */
  public static final class Builder {
    private Duration onlineTtl = Duration.ofSeconds(180);
    private Duration evictAfter = Duration.ofHours(24);
    private int maxNodes = 100_000;

    private Builder() {}

    /** How long a node counts as online after its last heartbeat (default 180 s). */
    public Builder onlineTtl(Duration ttl) {
      this.onlineTtl = positive(ttl, "onlineTtl");
      return this;
    }

    /** How long an offline node is kept before it may be evicted (default 24 h). */
    public Builder evictAfter(Duration d) {
      this.evictAfter = positive(d, "evictAfter");
      return this;
    }

    /** The most nodes kept at once (default 100,000). */
    public Builder maxNodes(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxNodes must be at least 1: " + max);
      }
      this.maxNodes = max;
      return this;
    }

    /** The registry. */
    public NodeRegistry build() {
      return new NodeRegistry(onlineTtl, evictAfter, maxNodes);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
