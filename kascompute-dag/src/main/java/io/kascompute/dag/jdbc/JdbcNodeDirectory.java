package io.kascompute.dag.jdbc;

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
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.dag.internal.DirectoryRefusals;
import io.kascompute.dag.internal.LedgerLeaves;
import io.kascompute.dag.internal.Nanos;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@link NodeDirectory} of a {@link JdbcStores} set: node records in {@code kc_node}, the
 * bounds enforced through the one counter row {@code kc_directory_count} that every change of the
 * number of pinned or unpinned ids updates in its transaction, rotations in {@code
 * kc_node_rotation} (and, in the same transaction, in the ledger: {@link
 * JdbcLedgerLog#appendRotation}). A heartbeat of a known id that pins nothing new is one statement; anything
 * else is a transaction that locks the node's row. When the unpinned bound is reached, up to
 * {@value #EVICT_BATCH} unpinned ids not seen within the retention are forgotten, oldest first.
 * {@link #pinnedKey} is answered from the set's {@link PinnedKeyCache} when it has one; a rotation
 * is the only change of an already pinned key, and it notifies every set's cache.
 */
final class JdbcNodeDirectory implements NodeDirectory {
  /** Unpinned ids past their retention forgotten at most by one heartbeat. */
  static final int EVICT_BATCH = 1000;

  private static final String COLUMNS =
      "node_id, public_key, pinned_by, pinned_ns, first_seen_ns, last_seen_ns, last_node_ns,"
          + " last_miner_ns, roles, compute_profile, client_version, has_geo, geo_lat, geo_lon,"
          + " geo_country";

  /** Presence parameters: now, as node, as miner, roles, profile, client, has geo, lat, lon, country. */
  private static final String PRESENCE_PARAMS =
      "?::bigint AS now, ?::boolean AS as_node, ?::boolean AS as_miner, ?::bytea AS roles,"
          + " ?::bytea AS profile, ?::bytea AS client, ?::boolean AS has_geo,"
          + " ?::double precision AS lat, ?::double precision AS lon, ?::bytea AS country";

  private static final String PRESENCE_SET =
      " last_seen_ns = greatest(n.last_seen_ns, p.now),"
          + " last_node_ns = CASE WHEN p.as_node THEN greatest(n.last_seen_ns, p.now)"
          + " ELSE n.last_node_ns END,"
          + " last_miner_ns = CASE WHEN p.as_miner THEN greatest(n.last_seen_ns, p.now)"
          + " ELSE n.last_miner_ns END,"
          + " roles = p.roles, compute_profile = p.profile, client_version = p.client,"
          + " has_geo = p.has_geo OR n.has_geo,"
          + " geo_lat = CASE WHEN p.has_geo THEN p.lat ELSE n.geo_lat END,"
          + " geo_lon = CASE WHEN p.has_geo THEN p.lon ELSE n.geo_lon END,"
          + " geo_country = CASE WHEN p.has_geo THEN p.country ELSE n.geo_country END";

  /**
   * The heartbeat of a known id that changes no pin: the id's pinned key is the one sent, or it
   * has none and the heartbeat pins nothing (then the key sent becomes its claim). Parameters:
   * node, key, pin, then the presence.
   */
  private static final String SEEN =
      "WITH p AS (SELECT ?::bytea AS node, ?::bytea AS key, ?::boolean AS pin, "
          + PRESENCE_PARAMS + ")"
          + " UPDATE kc_node n SET public_key = p.key," + PRESENCE_SET
          + " FROM p WHERE n.node_id = p.node AND ((n.pinned_by IS NOT NULL AND n.public_key = p.key)"
          + " OR (n.pinned_by IS NULL AND NOT p.pin))"
          + " RETURNING " + prefixed("n.");

  /** Updates a locked row: key, pin (NULL keeps it), then presence. Parameters: node, key, pinned by, pinned at, presence. */
  private static final String UPDATE =
      "WITH p AS (SELECT ?::bytea AS node, ?::bytea AS key, ?::smallint AS pinned_by,"
          + " ?::bigint AS pinned_ns, " + PRESENCE_PARAMS + ")"
          + " UPDATE kc_node n SET public_key = p.key,"
          + " pinned_by = coalesce(p.pinned_by, n.pinned_by),"
          + " pinned_ns = CASE WHEN p.pinned_by IS NULL THEN n.pinned_ns ELSE p.pinned_ns END,"
          + PRESENCE_SET + " FROM p WHERE n.node_id = p.node RETURNING " + prefixed("n.");

  /** Inserts a new id. Parameters: node, key, pinned by (or NULL), pinned at, presence. */
  private static final String INSERT =
      "WITH p AS (SELECT ?::bytea AS node, ?::bytea AS key, ?::smallint AS pinned_by,"
          + " ?::bigint AS pinned_ns, " + PRESENCE_PARAMS + ")"
          + " INSERT INTO kc_node (" + COLUMNS + ")"
          + " SELECT node, key, pinned_by, pinned_ns, now, now,"
          + " CASE WHEN as_node THEN now END, CASE WHEN as_miner THEN now END, roles, profile,"
          + " client, has_geo, lat, lon, country FROM p RETURNING " + COLUMNS;

  /**
   * Adds a new id and counts it in one statement: the row is inserted (nothing if the id exists
   * meanwhile) and the counter row grows only within the bounds; when the bound would be passed,
   * the final division by the zero count of updated counter rows fails the whole statement, so
   * nothing is applied (SQL state 22012) and the caller takes the transaction that names the
   * refusal or makes room. Parameters: node, key, pinned by (or NULL), pinned at, max pinned,
   * max unpinned, presence.
   */
  private static final String ADD =
      "WITH p AS (SELECT ?::bytea AS node, ?::bytea AS key, ?::smallint AS pinned_by,"
          + " ?::bigint AS pinned_ns, ?::bigint AS max_pinned, ?::bigint AS max_unpinned, "
          + PRESENCE_PARAMS + "),"
          + " i AS (INSERT INTO kc_node (" + COLUMNS + ")"
          + " SELECT node, key, pinned_by, pinned_ns, now, now,"
          + " CASE WHEN as_node THEN now END, CASE WHEN as_miner THEN now END, roles, profile,"
          + " client, has_geo, lat, lon, country FROM p ON CONFLICT (node_id) DO NOTHING"
          + " RETURNING " + COLUMNS + "),"
          + " n AS (SELECT count(*) FILTER (WHERE pinned_by IS NOT NULL) AS np,"
          + " count(*) FILTER (WHERE pinned_by IS NULL) AS nu FROM i),"
          + " k AS (UPDATE kc_directory_count SET pinned = pinned + n.np,"
          + " unpinned = unpinned + n.nu FROM n WHERE id = 1 AND n.np + n.nu > 0"
          + " AND pinned + n.np <= (SELECT max_pinned FROM p)"
          + " AND unpinned + n.nu <= (SELECT max_unpinned FROM p) RETURNING 1)"
          + " SELECT " + COLUMNS + ", 1 / (SELECT count(*) FROM k)::integer FROM i";

  /** SQL state of the division by zero that aborts {@link #ADD} beyond a bound. */
  private static final String BOUND_REACHED = "22012";

  private static final String LOCK = "SELECT " + COLUMNS + " FROM kc_node WHERE node_id = ? FOR UPDATE";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM kc_node WHERE node_id = ?";
  private static final String LIST_AFTER =
      "SELECT " + COLUMNS + " FROM kc_node WHERE node_id > ? ORDER BY node_id LIMIT ?";
  private static final String LIST_FIRST =
      "SELECT " + COLUMNS + " FROM kc_node ORDER BY node_id LIMIT ?";

  private static final String ADD_PINNED =
      "UPDATE kc_directory_count SET pinned = pinned + 1 WHERE id = 1 AND pinned < ?";
  private static final String ADD_UNPINNED =
      "UPDATE kc_directory_count SET unpinned = unpinned + 1 WHERE id = 1 AND unpinned < ?";
  private static final String PIN_UNPINNED =
      "UPDATE kc_directory_count SET pinned = pinned + 1, unpinned = unpinned - 1"
          + " WHERE id = 1 AND pinned < ?";
  /** Forgets unpinned ids last seen before a cutoff, oldest first. Parameters: cutoff, limit. */
  private static final String EVICT =
      "WITH e AS (DELETE FROM kc_node WHERE node_id IN (SELECT node_id FROM kc_node"
          + " WHERE pinned_by IS NULL AND last_seen_ns < ? ORDER BY last_seen_ns LIMIT ?"
          + " FOR UPDATE SKIP LOCKED) RETURNING 1)"
          + " UPDATE kc_directory_count SET unpinned = unpinned - (SELECT count(*) FROM e)"
          + " WHERE id = 1 RETURNING (SELECT count(*) FROM e)";

  private static final String COUNTS =
      "SELECT (SELECT count(*) FROM kc_node WHERE last_node_ns > ?),"
          + " (SELECT count(*) FROM kc_node WHERE last_miner_ns > ?),"
          + " (SELECT count(*) FROM kc_node WHERE last_seen_ns > ?), pinned + unpinned, pinned"
          + " FROM kc_directory_count WHERE id = 1";

  private static final String ROTATIONS =
      "SELECT old_key, new_key, made_by, signature, ts, applied_ns, coordinator"
          + " FROM kc_node_rotation"
          + " WHERE node_id = ? ORDER BY rotation_no";
  private static final String ROTATION_SPAN =
      "SELECT count(*), min(rotation_no), max(rotation_no) FROM kc_node_rotation WHERE node_id = ?";
  private static final String DROP_ROTATION =
      "DELETE FROM kc_node_rotation WHERE node_id = ? AND rotation_no = ?";
  private static final String INSERT_ROTATION =
      "INSERT INTO kc_node_rotation (node_id, rotation_no, old_key, new_key, made_by, signature,"
          + " ts, applied_ns, coordinator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String ROTATE =
      "UPDATE kc_node SET public_key = ?, pinned_by = ?, pinned_ns = ? WHERE node_id = ?"
          + " RETURNING " + COLUMNS;

  private static final String PINNED_KEY =
      "SELECT public_key FROM kc_node WHERE node_id = ? AND pinned_by IS NOT NULL";

  private final Tx tx;
  private final DirectoryLimits limits;
  private final Optional<PinnedKeyCache> cache;

  JdbcNodeDirectory(Tx tx, DirectoryLimits limits, Optional<PinnedKeyCache> cache) {
    this.tx = tx;
    this.limits = limits;
    this.cache = cache;
  }

  @Override
  public NodeRecord heartbeat(NodeId node, PublicKeyBytes key, boolean pin, KeyEvidence evidence,
      NodePresence presence, Instant now) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(presence, "presence");
    long at = Codec.nanos(Objects.requireNonNull(now, "now"));
    byte[] id = Codec.text(node.value());
    Presence p = Presence.of(presence, at);
    Optional<NodeRecord> seen = tx.inStatement("heartbeat", c -> {
      try (PreparedStatement ps = c.prepareStatement(SEEN)) {
        ps.setBytes(1, id);
        ps.setBytes(2, key.toByteArray());
        ps.setBoolean(3, pin);
        p.bind(ps, 4);
        return one(ps);
      }
    });
    if (seen.isPresent()) {
      return seen.get();
    }
    Optional<NodeRecord> added = tx.inStatement("heartbeat", c -> {
      try (PreparedStatement ps = c.prepareStatement(ADD)) {
        ps.setBytes(1, id);
        ps.setBytes(2, key.toByteArray());
        if (pin) {
          ps.setShort(3, evidenceCode(evidence));
          ps.setLong(4, at);
        } else {
          ps.setNull(3, Types.SMALLINT);
          ps.setNull(4, Types.BIGINT);
        }
        ps.setLong(5, limits.maxPinned());
        ps.setLong(6, limits.maxUnpinned());
        p.bind(ps, 7);
        return one(ps);
      } catch (SQLException e) {
        if (BOUND_REACHED.equals(e.getSQLState())) {
          return Optional.<NodeRecord>empty();
        }
        throw e;
      }
    });
    if (added.isPresent()) {
      return added.get();
    }
    return tx.inTransaction("heartbeat", c -> {
      Optional<NodeRecord> old = lock(c, id);
      if (old.isPresent() && old.get().pinned() && !old.get().key().equals(key)) {
        throw DirectoryRefusals.pinnedToAnother(node, old.get().key());
      }
      boolean pinNow = pin && (old.isEmpty() || !old.get().pinned());
      if (old.isEmpty()) {
        if (pinNow) {
          if (!count(c, ADD_PINNED, limits.maxPinned())) {
            throw DirectoryRefusals.full("pinned keys", limits.maxPinned());
          }
        } else if (!count(c, ADD_UNPINNED, limits.maxUnpinned())) {
          long cutoff = at - Nanos.of(limits.unpinnedRetention());
          if (evict(c, cutoff) == 0 || !count(c, ADD_UNPINNED, limits.maxUnpinned())) {
            throw DirectoryRefusals.full("node ids without a pinned key", limits.maxUnpinned());
          }
        }
      } else if (pinNow && !count(c, PIN_UNPINNED, limits.maxPinned())) {
        throw DirectoryRefusals.full("pinned keys", limits.maxPinned());
      }
      try (PreparedStatement ps = c.prepareStatement(old.isEmpty() ? INSERT : UPDATE)) {
        ps.setBytes(1, id);
        ps.setBytes(2, key.toByteArray());
        if (pinNow) {
          ps.setShort(3, evidenceCode(evidence));
          ps.setLong(4, at);
        } else {
          ps.setNull(3, Types.SMALLINT);
          ps.setNull(4, Types.BIGINT);
        }
        p.bind(ps, 5);
        return one(ps).orElseThrow(() -> new SQLException("the node row vanished"));
      }
    });
  }

  @Override
  public NodeRecord pinClaimedKey(NodeId node, PublicKeyBytes key, Instant now) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(key, "key");
    long at = Codec.nanos(Objects.requireNonNull(now, "now"));
    byte[] id = Codec.text(node.value());
    return tx.inTransaction("pin claimed key", c -> {
      NodeRecord old = lock(c, id).orElseThrow(() -> DirectoryRefusals.neverSeen(node));
      if (old.pinned()) {
        if (!old.key().equals(key)) {
          throw DirectoryRefusals.pinnedToAnother(node, old.key());
        }
        return old;
      }
      if (!old.key().equals(key)) {
        throw DirectoryRefusals.claimsAnother(node, old.key(), key);
      }
      if (!count(c, PIN_UNPINNED, limits.maxPinned())) {
        throw DirectoryRefusals.full("pinned keys", limits.maxPinned());
      }
      try (PreparedStatement ps = c.prepareStatement(ROTATE)) {
        ps.setBytes(1, key.toByteArray());
        ps.setShort(2, evidenceCode(KeyEvidence.VERIFIED_PROOF));
        ps.setLong(3, at);
        ps.setBytes(4, id);
        return one(ps).orElseThrow(() -> new SQLException("the node row vanished"));
      }
    });
  }

  /**
   * Replaces the pinned key in one transaction that also notifies {@value
   * PinnedKeyCache#CHANNEL}, so every set's cache drops the id at the commit; this set's own entry
   * is dropped when the transaction ends.
   */
  @Override
  public NodeRecord rotate(KeyRotation rotation) {
    Objects.requireNonNull(rotation, "rotation");
    try {
      return rotateInTransaction(rotation);
    } finally {
      cache.ifPresent(k -> k.invalidate(rotation.nodeId()));
    }
  }

  private NodeRecord rotateInTransaction(KeyRotation rotation) {
    NodeId node = rotation.nodeId();
    byte[] id = Codec.text(node.value());
    long at = Codec.nanos(rotation.at());
    KeyRotationEntry entry = LedgerLeaves.rotation(rotation);
    return tx.inTransaction("rotate key", c -> {
      NodeRecord old = lock(c, id).filter(NodeRecord::pinned)
          .orElseThrow(() -> DirectoryRefusals.nothingToRotate(node));
      if (!old.key().equals(rotation.oldKey())) {
        throw DirectoryRefusals.pinnedToAnother(node, old.key());
      }
      long count;
      long first;
      long last;
      try (PreparedStatement ps = c.prepareStatement(ROTATION_SPAN)) {
        ps.setBytes(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          count = rs.getLong(1);
          first = rs.getLong(2);
          last = rs.getLong(3);
        }
      }
      if (count >= limits.maxRotations()) {
        if (rotation.by() != KeyEvidence.OPERATOR) {
          throw DirectoryRefusals.full("rotations of node " + node, limits.maxRotations());
        }
        try (PreparedStatement ps = c.prepareStatement(DROP_ROTATION)) {
          ps.setBytes(1, id);
          ps.setLong(2, first);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT_ROTATION)) {
        ps.setBytes(1, id);
        ps.setLong(2, count == 0 ? 0 : last + 1);
        ps.setBytes(3, rotation.oldKey().toByteArray());
        ps.setBytes(4, rotation.newKey().toByteArray());
        ps.setShort(5, evidenceCode(rotation.by()));
        ps.setBytes(6, rotation.signature().map(Codec::text).orElse(null));
        ps.setLong(7, rotation.ts());
        ps.setLong(8, at);
        ps.setBytes(9, Codec.text(rotation.coordinator()));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(PinnedKeyCache.NOTIFY)) {
        ps.setBytes(1, id);
        ps.setBytes(2, id);
        ps.executeQuery().close();
      }
      NodeRecord rotated;
      try (PreparedStatement ps = c.prepareStatement(ROTATE)) {
        ps.setBytes(1, rotation.newKey().toByteArray());
        ps.setShort(2, evidenceCode(rotation.by()));
        ps.setLong(3, at);
        ps.setBytes(4, id);
        rotated = one(ps).orElseThrow(() -> new SQLException("the node row vanished"));
      }
      JdbcLedgerLog.appendRotation(c, entry);
      return rotated;
    });
  }

  @Override
  public Optional<NodeRecord> node(NodeId node) {
    byte[] id = Codec.text(Objects.requireNonNull(node, "node").value());
    return tx.inStatement("load node", c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT)) {
        ps.setBytes(1, id);
        return one(ps);
      }
    });
  }

  /**
   * The pinned key, from the set's {@link PinnedKeyCache} when it is on and fresh, else one
   * primary-key read of {@code kc_node}.
   */
  @Override
  public Optional<PublicKeyBytes> pinnedKey(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (cache.isEmpty()) {
      return loadPinnedKey(node);
    }
    return cache.get().pinnedKey(node, () -> loadPinnedKey(node));
  }

  /** The set's pinned-key cache, if on. */
  Optional<PinnedKeyCache> cache() {
    return cache;
  }

  private Optional<PublicKeyBytes> loadPinnedKey(NodeId node) {
    byte[] id = Codec.text(node.value());
    return tx.inStatement("load pinned key", c -> {
      try (PreparedStatement ps = c.prepareStatement(PINNED_KEY)) {
        ps.setBytes(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(PublicKeyBytes.of(rs.getBytes(1))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<NodeRecord> nodes(Optional<NodeId> after, int limit) {
    Objects.requireNonNull(after, "after");
    if (limit <= 0) {
      return List.of();
    }
    byte[] from = after.map(n -> Codec.text(n.value())).orElse(null);
    return tx.inStatement("list nodes", c -> {
      try (PreparedStatement ps = c.prepareStatement(from == null ? LIST_FIRST : LIST_AFTER)) {
        int i = 1;
        if (from != null) {
          ps.setBytes(i++, from);
        }
        ps.setInt(i, limit);
        List<NodeRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<KeyRotation> rotations(NodeId node) {
    byte[] id = Codec.text(Objects.requireNonNull(node, "node").value());
    return tx.inStatement("list rotations", c -> {
      try (PreparedStatement ps = c.prepareStatement(ROTATIONS)) {
        ps.setBytes(1, id);
        List<KeyRotation> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] sig = rs.getBytes(4);
            out.add(new KeyRotation(node, PublicKeyBytes.of(rs.getBytes(1)),
                PublicKeyBytes.of(rs.getBytes(2)), evidence(rs.getShort(3)),
                sig == null ? Optional.empty() : Optional.of(Codec.string(sig)), rs.getLong(5),
                Codec.instant(rs.getLong(6)), Codec.string(rs.getBytes(7))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public PresenceCounts counts(Instant now, Duration activity, Duration onlineTtl) {
    long active = Codec.nanos(now.minus(activity));
    long online = Codec.nanos(now.minus(onlineTtl));
    return tx.inStatement("presence counts", c -> {
      try (PreparedStatement ps = c.prepareStatement(COUNTS)) {
        ps.setLong(1, active);
        ps.setLong(2, active);
        ps.setLong(3, online);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new PresenceCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5));
        }
      }
    });
  }

  private static boolean count(Connection c, String sql, long max) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, max);
      return ps.executeUpdate() == 1;
    }
  }

  private static long evict(Connection c, long cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(EVICT)) {
      ps.setLong(1, cutoff);
      ps.setInt(2, EVICT_BATCH);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static Optional<NodeRecord> lock(Connection c, byte[] id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK)) {
      ps.setBytes(1, id);
      return one(ps);
    }
  }

  private static Optional<NodeRecord> one(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(read(rs)) : Optional.empty();
    }
  }

  /** The record of a row selected as {@link #COLUMNS}. */
  private static NodeRecord read(ResultSet rs) throws SQLException {
    NodeId id = NodeId.of(Codec.string(rs.getBytes(1)));
    PublicKeyBytes key = PublicKeyBytes.of(rs.getBytes(2));
    short by = rs.getShort(3);
    Optional<KeyEvidence> pinnedBy = rs.wasNull() ? Optional.empty() : Optional.of(evidence(by));
    Optional<Instant> pinnedAt = instant(rs, 4);
    Instant first = Codec.instant(rs.getLong(5));
    Instant last = Codec.instant(rs.getLong(6));
    Optional<Instant> asNode = instant(rs, 7);
    Optional<Instant> asMiner = instant(rs, 8);
    List<String> roles = Codec.strings(rs.getBytes(9));
    byte[] profile = rs.getBytes(10);
    Optional<JsonValue> computeProfile =
        profile == null ? Optional.empty() : Optional.of(JsonBytes.read(profile));
    String client = Codec.string(rs.getBytes(11));
    Optional<GeoLocation> geo = Optional.empty();
    if (rs.getBoolean(12)) {
      double lat = rs.getDouble(13);
      boolean noLat = rs.wasNull();
      double lon = rs.getDouble(14);
      boolean noLon = rs.wasNull();
      byte[] country = rs.getBytes(15);
      geo = Optional.of(new GeoLocation(noLat ? OptionalDouble.empty() : OptionalDouble.of(lat),
          noLon ? OptionalDouble.empty() : OptionalDouble.of(lon),
          country == null ? Optional.empty() : Optional.of(Codec.string(country))));
    }
    return new NodeRecord(id, key, pinnedBy, pinnedAt, first, last, asNode, asMiner, roles,
        computeProfile, client, geo);
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Codec.instant(v));
  }

  private static String prefixed(String alias) {
    StringBuilder sb = new StringBuilder();
    for (String col : COLUMNS.split(",")) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(alias).append(col.trim());
    }
    return sb.toString();
  }

  /** Evidence codes: the declaration order of {@link KeyEvidence}, fixed by this switch. */
  static short evidenceCode(KeyEvidence e) {
    return (short) switch (e) {
      case SIGNED_HEARTBEAT -> 0;
      case VERIFIED_PROOF -> 1;
      case UNSIGNED_HEARTBEAT -> 2;
      case NODE_ROTATION -> 3;
      case OPERATOR -> 4;
    };
  }

  static KeyEvidence evidence(short code) {
    return switch (code) {
      case 0 -> KeyEvidence.SIGNED_HEARTBEAT;
      case 1 -> KeyEvidence.VERIFIED_PROOF;
      case 2 -> KeyEvidence.UNSIGNED_HEARTBEAT;
      case 3 -> KeyEvidence.NODE_ROTATION;
      case 4 -> KeyEvidence.OPERATOR;
      default -> throw new IllegalStateException("stored key evidence code " + code + " is unknown");
    };
  }

  /** A heartbeat's presence as statement parameters. */
  private record Presence(long now, boolean asNode, boolean asMiner, byte[] roles, byte[] profile,
      byte[] client, Optional<GeoLocation> geo) {

    static Presence of(NodePresence p, long now) {
      return new Presence(now, p.asNode(), p.asMiner(), Codec.texts(p.roles()),
          p.computeProfile().map(JsonBytes::of).orElse(null), Codec.text(p.clientVersion()), p.geo());
    }

    void bind(PreparedStatement ps, int at) throws SQLException {
      ps.setLong(at, now);
      ps.setBoolean(at + 1, asNode);
      ps.setBoolean(at + 2, asMiner);
      ps.setBytes(at + 3, roles);
      ps.setBytes(at + 4, profile);
      ps.setBytes(at + 5, client);
      ps.setBoolean(at + 6, geo.isPresent());
      GeoLocation g = geo.orElse(null);
      if (g != null && g.latitude().isPresent()) {
        ps.setDouble(at + 7, g.latitude().getAsDouble());
        ps.setDouble(at + 8, g.longitude().getAsDouble());
      } else {
        ps.setNull(at + 7, Types.DOUBLE);
        ps.setNull(at + 8, Types.DOUBLE);
      }
      ps.setBytes(at + 9, g == null ? null : g.country().map(Codec::text).orElse(null));
    }
  }
}
