package io.kascompute.dag.internal;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.presence.GeoLocation;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodeDirectory;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.directory.NodeRecord;
import io.kascompute.dag.directory.PresenceCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory node directory: records in a map ordered by node id, unpinned ids also in
 * least-recently-seen order so that expired ones are found without a scan. A rotation appends its
 * entry to the set's {@link InMemoryProofLedger} under this directory's lock before it applies.
 * Thread-safe (one lock, taken before the ledger's); every operation is O(log n) except {@link
 * #counts}, which scans.
 */
public final class InMemoryNodeDirectory implements NodeDirectory {
  private final DirectoryLimits limits;
  private final InMemoryProofLedger ledger;
  private final TreeMap<NodeId, NodeRecord> nodes = new TreeMap<>();
  /** Unpinned ids, least recently seen first. */
  private final LinkedHashMap<NodeId, Instant> unpinned = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<NodeId, ArrayDeque<KeyRotation>> rotations = new java.util.HashMap<>();
  private int pinned;

  /** An empty directory with the given bounds whose rotations append to {@code ledger}. */
  public InMemoryNodeDirectory(DirectoryLimits limits, InMemoryProofLedger ledger) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  @Override
  public synchronized NodeRecord heartbeat(
      NodeId node, PublicKeyBytes key, boolean pin, KeyEvidence evidence, NodePresence presence,
      Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(presence, "presence");
    NodeRecord old = nodes.get(Objects.requireNonNull(node, "node"));
    if (old != null && old.pinned() && !old.key().equals(key)) {
      throw pinnedToAnother(node, old.key());
    }
    boolean pinNow = pin && (old == null || !old.pinned());
    if (old == null) {
      ensureRoom(pinNow, now);
    } else if (pinNow && pinned >= limits.maxPinned()) {
      throw full("pinned keys", limits.maxPinned());
    }
    NodeRecord updated = seen(old, node, key, presence, now);
    if (pinNow) {
      updated = pinned(updated, evidence, now);
    }
    store(old, updated);
    return updated;
  }

  @Override
  public synchronized NodeRecord pinClaimedKey(NodeId node, PublicKeyBytes key, Instant now) {
    NodeRecord old = nodes.get(Objects.requireNonNull(node, "node"));
    if (old == null) {
      throw DirectoryRefusals.neverSeen(node);
    }
    if (old.pinned()) {
      if (!old.key().equals(key)) {
        throw pinnedToAnother(node, old.key());
      }
      return old;
    }
    if (!old.key().equals(key)) {
      throw DirectoryRefusals.claimsAnother(node, old.key(), key);
    }
    if (pinned >= limits.maxPinned()) {
      throw full("pinned keys", limits.maxPinned());
    }
    NodeRecord updated = pinned(old, KeyEvidence.VERIFIED_PROOF, now);
    store(old, updated);
    return updated;
  }

  @Override
  public synchronized NodeRecord rotate(KeyRotation rotation) {
    NodeId node = rotation.nodeId();
    NodeRecord old = nodes.get(node);
    if (old == null || !old.pinned()) {
      throw DirectoryRefusals.nothingToRotate(node);
    }
    if (!old.key().equals(rotation.oldKey())) {
      throw pinnedToAnother(node, old.key());
    }
    ArrayDeque<KeyRotation> history = rotations.computeIfAbsent(node, k -> new ArrayDeque<>());
    boolean historyFull = history.size() >= limits.maxRotations();
    if (historyFull && rotation.by() != KeyEvidence.OPERATOR) {
      throw full("rotations of node " + node, limits.maxRotations());
    }
    ledger.appendRotation(LedgerLeaves.rotation(rotation));
    if (historyFull) {
      history.removeFirst();
    }
    history.addLast(rotation);
    NodeRecord updated = new NodeRecord(node, rotation.newKey(), Optional.of(rotation.by()),
        Optional.of(rotation.at()), old.firstSeen(), old.lastSeen(), old.lastSeenAsNode(),
        old.lastSeenAsMiner(), old.roles(), old.computeProfile(), old.clientVersion(), old.geo());
    nodes.put(node, updated);
    return updated;
  }

  @Override
  public synchronized Optional<NodeRecord> node(NodeId node) {
    return Optional.ofNullable(nodes.get(Objects.requireNonNull(node, "node")));
  }

  @Override
  public synchronized List<NodeRecord> nodes(Optional<NodeId> after, int limit) {
    Map<NodeId, NodeRecord> tail = after.isPresent() ? nodes.tailMap(after.get(), false) : nodes;
    List<NodeRecord> out = new ArrayList<>(Math.min(limit, tail.size()));
    for (NodeRecord r : tail.values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  @Override
  public synchronized List<KeyRotation> rotations(NodeId node) {
    ArrayDeque<KeyRotation> history = rotations.get(node);
    return history == null ? List.of() : List.copyOf(history);
  }

  @Override
  public synchronized PresenceCounts counts(Instant now, Duration activity, Duration onlineTtl) {
    Instant active = now.minus(activity);
    Instant online = now.minus(onlineTtl);
    long nodesActive = 0;
    long minersActive = 0;
    long onlineCount = 0;
    for (NodeRecord r : nodes.values()) {
      if (r.lastSeenAsNode().filter(t -> t.isAfter(active)).isPresent()) {
        nodesActive++;
      }
      if (r.lastSeenAsMiner().filter(t -> t.isAfter(active)).isPresent()) {
        minersActive++;
      }
      if (r.lastSeen().isAfter(online)) {
        onlineCount++;
      }
    }
    return new PresenceCounts(nodesActive, minersActive, onlineCount, nodes.size(), pinned);
  }

  private void ensureRoom(boolean pin, Instant now) {
    if (pin) {
      if (pinned >= limits.maxPinned()) {
        throw full("pinned keys", limits.maxPinned());
      }
      return;
    }
    if (unpinned.size() >= limits.maxUnpinned()) {
      Instant cutoff = now.minus(limits.unpinnedRetention());
      Iterator<Map.Entry<NodeId, Instant>> it = unpinned.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<NodeId, Instant> e = it.next();
        if (!e.getValue().isBefore(cutoff)) {
          break;
        }
        nodes.remove(e.getKey());
        rotations.remove(e.getKey());
        it.remove();
      }
      if (unpinned.size() >= limits.maxUnpinned()) {
        throw full("node ids without a pinned key", limits.maxUnpinned());
      }
    }
  }

  private void store(NodeRecord old, NodeRecord updated) {
    nodes.put(updated.nodeId(), updated);
    if (updated.pinned()) {
      if (old == null || !old.pinned()) {
        pinned++;
        unpinned.remove(updated.nodeId());
      }
    } else {
      unpinned.put(updated.nodeId(), updated.lastSeen());
    }
  }

  private static NodeRecord seen(
      NodeRecord old, NodeId node, PublicKeyBytes key, NodePresence p, Instant now) {
    Instant first = old == null ? now : old.firstSeen();
    Instant last = old == null || now.isAfter(old.lastSeen()) ? now : old.lastSeen();
    Optional<Instant> asNode = p.asNode() ? Optional.of(last) : old == null
        ? Optional.empty() : old.lastSeenAsNode();
    Optional<Instant> asMiner = p.asMiner() ? Optional.of(last) : old == null
        ? Optional.empty() : old.lastSeenAsMiner();
    Optional<GeoLocation> geo = p.geo().isPresent() || old == null ? p.geo() : old.geo();
    Optional<JsonValue> profile = p.computeProfile();
    return new NodeRecord(node, key, old == null ? Optional.empty() : old.pinnedBy(),
        old == null ? Optional.empty() : old.pinnedAt(), first, last, asNode, asMiner, p.roles(),
        profile, p.clientVersion(), geo);
  }

  private static NodeRecord pinned(NodeRecord r, KeyEvidence evidence, Instant now) {
    return new NodeRecord(r.nodeId(), r.key(), Optional.of(evidence), Optional.of(now),
        r.firstSeen(), r.lastSeen(), r.lastSeenAsNode(), r.lastSeenAsMiner(), r.roles(),
        r.computeProfile(), r.clientVersion(), r.geo());
  }

  private static KasComputeException pinnedToAnother(NodeId node, PublicKeyBytes pinnedKey) {
    return DirectoryRefusals.pinnedToAnother(node, pinnedKey);
  }

  private static KasComputeException full(String what, int max) {
    return DirectoryRefusals.full(what, max);
  }
}
