package io.kascompute.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.presence.GeoLocation;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.crypto.ledger.LedgerEntry;
import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodeDirectory;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.directory.NodeRecord;
import io.kascompute.dag.directory.PresenceCounts;
import io.kascompute.dag.store.CoordinatorStores;
import io.kascompute.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link NodeDirectory} must pass: extend this class (or {@link
 * CoordinatorStoresContract}) and return a fresh, empty store set whose directory has the bounds
 * asked for from {@link #newStores(DirectoryLimits)}. The nested groups follow the rules of the
 * {@link NodeDirectory} Javadoc: pins, claims, presence per role, the separate bounds for pinned
 * and unpinned ids (never evicting a pin), rotations (with their ledger entries), the views, and ids and text that
 * PostgreSQL's {@code text} could not hold.
 */
public abstract class NodeDirectoryContract {
  /** The instant the fake clock starts at. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** Small bounds for the bound tests: 3 pinned, 2 unpinned, 1 h retention, 2 rotations. */
  protected static final DirectoryLimits SMALL =
      new DirectoryLimits(3, 2, Duration.ofHours(1), 2);

  private static final NodeId N = NodeId.of("kc_dir_n");
  private static final String COORDINATOR = "kc-dir-kit";
  private static final PublicKeyBytes K1 = key(1);
  private static final PublicKeyBytes K2 = key(2);
  private static final PublicKeyBytes K3 = key(3);
  private static final NodePresence AS_NODE =
      new NodePresence(List.of("node"), Optional.empty(), "kc/1.0", Optional.empty());
  private static final NodePresence AS_MINER =
      new NodePresence(List.of("miner"), Optional.empty(), "kc/1.1", Optional.empty());

  /** The set under test (default bounds), fresh and empty for every test. */
  protected CoordinatorStores stores;

  /** Its directory. */
  protected NodeDirectory directory;

  /** The clock the tests read {@code now} from. */
  protected FakeClock clock;

  private final List<CoordinatorStores> opened = new ArrayList<>();

  /** A fresh, empty store set whose directory has these bounds. */
  protected abstract CoordinatorStores newStores(DirectoryLimits directoryLimits);

  /** Releases a set after the test; closes it by default. */
  protected void closeStores(CoordinatorStores stores) throws Exception {
    stores.close();
  }

  @BeforeEach
  final void setUpDirectory() {
    clock = FakeClock.at(START);
    stores = open(DirectoryLimits.DEFAULT);
    directory = stores.directory();
  }

  @AfterEach
  final void tearDownDirectory() throws Exception {
    for (CoordinatorStores s : opened) {
      closeStores(s);
    }
    opened.clear();
  }

  /** Pinning on proof of possession; a pinned key changes only by rotation. */
  @Nested
  class Pins {
    @Test
    void aSignedHeartbeatPinsTheKey() {
      NodeRecord r = directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(r.pinned()).isTrue();
      assertThat(r.pinnedKey()).contains(K1);
      assertThat(r.pinnedBy()).contains(KeyEvidence.SIGNED_HEARTBEAT);
      assertThat(r.pinnedAt()).contains(now());
      assertThat(directory.node(N)).contains(r);
      assertThat(directory.counts(now(), Duration.ofSeconds(90), Duration.ofSeconds(90)).pinned())
          .isEqualTo(1);
    }

    @Test
    void anotherKeyForAPinnedIdIsRefusedAndChangesNothing() {
      NodeRecord pinned = directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      clock.advance(Duration.ofSeconds(10));
      assertRefused(() -> directory.heartbeat(N, K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_MINER, now()),
          ErrorCode.KEY_MISMATCH);
      assertRefused(() -> directory.heartbeat(N, K2, true, KeyEvidence.SIGNED_HEARTBEAT, AS_MINER, now()),
          ErrorCode.KEY_MISMATCH);
      assertRefused(() -> directory.pinClaimedKey(N, K2, now()), ErrorCode.KEY_MISMATCH);
      assertThat(directory.node(N)).contains(pinned);
    }

    @Test
    void theRefusalNamesTheNodeAndThePinnedKeysPrefixOnly() {
      directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      assertThatThrownBy(() -> directory.heartbeat(N, K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()))
          .hasMessageContaining(N.value()).hasMessageContaining(K1.hex().substring(0, 16))
          .hasMessageNotContaining(K1.hex());
    }

    @Test
    void anUnsignedHeartbeatWithThePinnedKeyRefreshesPresenceOnly() {
      directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      Instant pinnedAt = now();
      clock.advance(Duration.ofSeconds(30));
      NodeRecord r = directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_MINER, now());
      assertThat(r.pinnedBy()).contains(KeyEvidence.SIGNED_HEARTBEAT);
      assertThat(r.pinnedAt()).contains(pinnedAt);
      assertThat(r.lastSeen()).isEqualTo(now());
      assertThat(r.lastSeenAsMiner()).contains(now());
      assertThat(r.lastSeenAsNode()).contains(pinnedAt);
      NodeRecord again = directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(again.pinnedAt()).contains(pinnedAt);
    }

    @Test
    void aVerifiedProofPinsTheClaimedKey() {
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      clock.advance(Duration.ofSeconds(1));
      NodeRecord r = directory.pinClaimedKey(N, K1, now());
      assertThat(r.pinnedBy()).contains(KeyEvidence.VERIFIED_PROOF);
      assertThat(r.pinnedAt()).contains(now());
      assertThat(directory.pinClaimedKey(N, K1, now().plusSeconds(5))).isEqualTo(r);
      assertRefused(() -> directory.heartbeat(N, K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.KEY_MISMATCH);
    }

    @Test
    void pinnedKeyAnswersOnlyPinnedKeysAndFollowsRotations() {
      assertThat(directory.pinnedKey(N)).isEmpty();
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(directory.pinnedKey(N)).isEmpty();
      directory.pinClaimedKey(N, K1, now());
      assertThat(directory.pinnedKey(N)).contains(K1);
      assertThat(directory.pinnedKey(N)).contains(K1);
      directory.rotate(new KeyRotation(N, K1, K2, KeyEvidence.OPERATOR, Optional.empty(), 1, now(), COORDINATOR));
      assertThat(directory.pinnedKey(N)).contains(K2);
    }

    @Test
    void pinningAKeyTheIdDoesNotClaimOrAnUnknownIdIsRefused() {
      assertRefused(() -> directory.pinClaimedKey(N, K1, now()), ErrorCode.UNKNOWN_NODE);
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertRefused(() -> directory.pinClaimedKey(N, K2, now()), ErrorCode.KEY_MISMATCH);
      assertThat(directory.node(N).orElseThrow().pinned()).isFalse();
    }
  }

  /** Claims: what unsigned heartbeats of an unpinned id say. */
  @Nested
  class Claims {
    @Test
    void anUnsignedHeartbeatRecordsAClaimThatTheLatestOneReplaces() {
      NodeRecord first = directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(first.pinned()).isFalse();
      assertThat(first.pinnedKey()).isEmpty();
      assertThat(first.key()).isEqualTo(K1);
      assertThat(first.pinnedAt()).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      NodeRecord second = directory.heartbeat(N, K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(second.key()).isEqualTo(K2);
      assertThat(second.firstSeen()).isEqualTo(START);
      assertThat(directory.counts(now(), Duration.ofSeconds(90), Duration.ofSeconds(90)))
          .isEqualTo(new PresenceCounts(1, 0, 1, 1, 0));
    }

    @Test
    void aSignedHeartbeatPinsAKeyOverAnEarlierClaim() {
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      NodeRecord r = directory.heartbeat(N, K2, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(r.pinnedKey()).contains(K2);
    }
  }

  /** Presence per role and what the latest heartbeat said. */
  @Nested
  class Presence {
    @Test
    void presenceIsKeptPerRole() {
      Map<String, JsonValue> profile = new LinkedHashMap<>();
      profile.put("threads", JsonNumber.parsed("8", 8));
      profile.put("cpu", new JsonString("x86"));
      GeoLocation geo = new GeoLocation(OptionalDouble.of(48.5), OptionalDouble.of(-3.25), Optional.of("FR"));
      NodePresence both = new NodePresence(List.of("node", "miner"), Optional.of(new JsonObject(profile)),
          "kc/2.0", Optional.of(geo));
      directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, both, now());
      Instant t0 = now();
      clock.advance(Duration.ofSeconds(40));
      NodeRecord r = directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_MINER, now());
      assertThat(r.firstSeen()).isEqualTo(t0);
      assertThat(r.lastSeen()).isEqualTo(now());
      assertThat(r.lastSeenAsNode()).contains(t0);
      assertThat(r.lastSeenAsMiner()).contains(now());
      assertThat(r.roles()).containsExactly("miner");
      assertThat(r.clientVersion()).isEqualTo("kc/1.1");
      assertThat(r.computeProfile()).isEmpty();
      assertThat(r.geo()).contains(geo); // a heartbeat without a location keeps the last one
      clock.advance(Duration.ofSeconds(60));
      PresenceCounts c = directory.counts(now(), Duration.ofSeconds(90), Duration.ofSeconds(70));
      assertThat(c).isEqualTo(new PresenceCounts(0, 1, 1, 1, 1));
    }

    @Test
    void theProfileAndLocationOfTheLatestHeartbeatAreKeptExactly() {
      Map<String, JsonValue> profile = new LinkedHashMap<>();
      profile.put("z", JsonNumber.parsed("1.50", 1.5));
      profile.put("a", new JsonString("x\u00e9\u0000"));
      GeoLocation countryOnly = new GeoLocation(OptionalDouble.empty(), OptionalDouble.empty(), Optional.of("DE"));
      NodePresence p = new NodePresence(List.of("node"), Optional.of(new JsonObject(profile)), "v",
          Optional.of(countryOnly));
      NodeRecord r = directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, p, now());
      NodeRecord stored = directory.node(N).orElseThrow();
      assertThat(stored).isEqualTo(r);
      assertThat(stored.computeProfile()).contains(new JsonObject(profile));
      assertThat(stored.geo()).contains(countryOnly);
    }

    @Test
    void aLateHeartbeatDoesNotMoveLastSeenBack() {
      clock.advance(Duration.ofSeconds(10));
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      NodeRecord r = directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_MINER, START);
      assertThat(r.lastSeen()).isEqualTo(now());
      assertThat(r.lastSeenAsMiner()).contains(now());
    }

    @Test
    void activityCountsAreStrictlyWithinThePeriod() {
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      clock.advance(Duration.ofSeconds(90));
      assertThat(directory.counts(now(), Duration.ofSeconds(90), Duration.ofSeconds(90)))
          .isEqualTo(new PresenceCounts(0, 0, 0, 1, 0));
      assertThat(directory.counts(now().minusNanos(1), Duration.ofSeconds(90), Duration.ofSeconds(90)))
          .isEqualTo(new PresenceCounts(1, 0, 1, 1, 0));
    }
  }

  /** Separate bounds for pinned and unpinned ids; nobody is dropped to make room. */
  @Nested
  class Bounds {
    @Test
    void aNewUnpinnedIdBeyondItsBoundIsRefusedAndChangesNothing() {
      CoordinatorStores smallSet = open(SMALL);
      NodeDirectory small = smallSet.directory();
      small.heartbeat(id(1), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      small.heartbeat(id(2), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertRefused(() -> small.heartbeat(id(3), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.DIRECTORY_FULL);
      assertThat(small.node(id(3))).isEmpty();
      // known ids are still seen, and new ids that pin still fit
      clock.advance(Duration.ofSeconds(5));
      assertThat(small.heartbeat(id(1), K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()).key())
          .isEqualTo(K2);
      small.heartbeat(id(4), K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(small.counts(now(), Duration.ofSeconds(90), Duration.ofSeconds(90)))
          .isEqualTo(new PresenceCounts(3, 0, 3, 3, 1));
    }

    @Test
    void aNewPinBeyondItsBoundIsRefusedAndPinsAreNeverEvicted() {
      CoordinatorStores smallSet = open(SMALL);
      NodeDirectory small = smallSet.directory();
      for (int i = 1; i <= 3; i++) {
        small.heartbeat(id(i), K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      }
      assertRefused(() -> small.heartbeat(id(4), K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.DIRECTORY_FULL);
      small.heartbeat(id(5), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertRefused(() -> small.pinClaimedKey(id(5), K1, now()), ErrorCode.DIRECTORY_FULL);
      assertRefused(() -> small.heartbeat(id(5), K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.DIRECTORY_FULL);
      assertThat(small.node(id(5)).orElseThrow().pinned()).isFalse();
      // a month later a flood of new ids forgets the stale unpinned id 5, never a pin
      clock.advance(Duration.ofDays(30));
      small.heartbeat(id(6), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      small.heartbeat(id(7), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(small.node(id(5))).isEmpty();
      assertRefused(() -> small.heartbeat(id(8), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.DIRECTORY_FULL);
      for (int i = 1; i <= 3; i++) {
        assertThat(small.node(id(i)).orElseThrow().pinnedKey()).contains(K1);
      }
    }

    @Test
    void unpinnedIdsNotSeenWithinTheRetentionMakeRoomForNewOnes() {
      CoordinatorStores smallSet = open(SMALL);
      NodeDirectory small = smallSet.directory();
      small.heartbeat(id(1), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      clock.advance(Duration.ofMinutes(30));
      small.heartbeat(id(2), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      clock.advance(Duration.ofMinutes(30));
      // id 1 was seen exactly one retention ago: still kept
      assertRefused(() -> small.heartbeat(id(3), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.DIRECTORY_FULL);
      clock.advance(Duration.ofNanos(1));
      small.heartbeat(id(3), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(small.node(id(1))).isEmpty();
      assertThat(small.node(id(2))).isPresent();
      assertThat(small.node(id(3))).isPresent();
    }
  }

  /** Explicit rotations, recorded. */
  @Nested
  class Rotations {
    @Test
    void aRotationReplacesThePinnedKeyAndIsRecorded() {
      directory.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      clock.advance(Duration.ofSeconds(3));
      KeyRotation rot = new KeyRotation(N, K1, K2, KeyEvidence.NODE_ROTATION,
          Optional.of("ef".repeat(64)), 1_767_225_603L, now(), COORDINATOR);
      NodeRecord r = directory.rotate(rot);
      assertThat(r.pinnedKey()).contains(K2);
      assertThat(r.pinnedBy()).contains(KeyEvidence.NODE_ROTATION);
      assertThat(r.pinnedAt()).contains(now());
      assertThat(directory.rotations(N)).containsExactly(rot);
      assertThat(LedgerEntry.parse(stores.ledger().log().leaves(0, 1).get(0))).isEqualTo(
          new KeyRotationEntry(N, K1.hex(), K2.hex(), KeyRotationEntry.Authority.NODE,
              Optional.of("ef".repeat(64)), 1_767_225_603L, now().getEpochSecond(), COORDINATOR));
      assertRefused(() -> directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()),
          ErrorCode.KEY_MISMATCH);
      assertThat(directory.heartbeat(N, K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now()).key())
          .isEqualTo(K2);
    }

    @Test
    void aRotationFromAnotherKeyOrOfAnUnpinnedIdIsRefused() {
      KeyRotation rot = new KeyRotation(N, K1, K2, KeyEvidence.OPERATOR, Optional.empty(), 1, now(), COORDINATOR);
      assertRefused(() -> directory.rotate(rot), ErrorCode.UNKNOWN_NODE);
      directory.heartbeat(N, K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertRefused(() -> directory.rotate(rot), ErrorCode.UNKNOWN_NODE);
      directory.pinClaimedKey(N, K1, now());
      assertRefused(() -> directory.rotate(new KeyRotation(N, K3, K2, KeyEvidence.OPERATOR,
          Optional.empty(), 1, now(), COORDINATOR)), ErrorCode.KEY_MISMATCH);
      assertThat(directory.rotations(N)).isEmpty();
      assertThat(directory.node(N).orElseThrow().pinnedKey()).contains(K1);
      assertThat(stores.ledger().log().size()).isZero();
    }

    @Test
    void aFullHistoryRefusesNodeRotationsAndOperatorRotationsDropTheOldest() {
      CoordinatorStores smallSet = open(SMALL);
      NodeDirectory small = smallSet.directory();
      small.heartbeat(N, K1, true, KeyEvidence.SIGNED_HEARTBEAT, AS_NODE, now());
      KeyRotation r1 = new KeyRotation(N, K1, K2, KeyEvidence.NODE_ROTATION, Optional.of("01".repeat(64)), 1, now(), COORDINATOR);
      KeyRotation r2 = new KeyRotation(N, K2, K3, KeyEvidence.OPERATOR, Optional.empty(), 2, now(), COORDINATOR);
      small.rotate(r1);
      small.rotate(r2);
      assertRefused(() -> small.rotate(new KeyRotation(N, K3, K1, KeyEvidence.NODE_ROTATION,
          Optional.of("02".repeat(64)), 3, now(), COORDINATOR)), ErrorCode.DIRECTORY_FULL);
      KeyRotation r3 = new KeyRotation(N, K3, K1, KeyEvidence.OPERATOR, Optional.empty(), 4, now(), COORDINATOR);
      small.rotate(r3);
      assertThat(small.rotations(N)).containsExactly(r2, r3);
      assertThat(small.node(N).orElseThrow().pinnedKey()).contains(K1);
      assertThat(smallSet.ledger().log().size())
          .as("the refused rotation has no entry; the dropped one keeps its entry").isEqualTo(3);
    }
  }

  /** Listing nodes, and text PostgreSQL's {@code text} could not hold. */
  @Nested
  class Views {
    @Test
    void nodesArePagedInCodePointOrder() {
      List<String> ids = List.of("\uD83D\uDE00", "\uFFFD", "b", "a", "Z", "");
      for (String v : ids) {
        directory.heartbeat(NodeId.of(v), K1, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      }
      List<String> seen = new ArrayList<>();
      Optional<NodeId> after = Optional.empty();
      while (true) {
        List<NodeRecord> page = directory.nodes(after, 4);
        if (page.isEmpty()) {
          break;
        }
        page.forEach(r -> seen.add(r.nodeId().value()));
        after = Optional.of(page.get(page.size() - 1).nodeId());
      }
      assertThat(seen).containsExactly("", "Z", "a", "b", "\uFFFD", "\uD83D\uDE00");
      assertThat(directory.nodes(Optional.empty(), 0)).isEmpty();
    }

    @Test
    void idsAndTextWithNulAndControlCharactersRoundTrip() {
      NodeId weird = NodeId.of("kc\u0000node\u0001\n\u00e9");
      NodeId prefix = NodeId.of("kc");
      NodePresence p = new NodePresence(List.of("node", "x\u0000y", ""), Optional.empty(),
          "client\u0000\u007f", Optional.empty());
      NodeRecord r = directory.heartbeat(weird, K1, true, KeyEvidence.SIGNED_HEARTBEAT, p, now());
      directory.heartbeat(prefix, K2, false, KeyEvidence.UNSIGNED_HEARTBEAT, AS_NODE, now());
      assertThat(directory.node(weird)).contains(r);
      assertThat(r.roles()).containsExactly("node", "x\u0000y", "");
      assertThat(r.clientVersion()).isEqualTo("client\u0000\u007f");
      assertThat(directory.node(prefix).orElseThrow().key()).isEqualTo(K2);
      assertThat(directory.nodes(Optional.of(prefix), 5)).extracting(NodeRecord::nodeId)
          .containsExactly(weird);
      KeyRotation rot = new KeyRotation(weird, K1, K3, KeyEvidence.OPERATOR, Optional.empty(), 9, now(), COORDINATOR);
      directory.rotate(rot);
      assertThat(directory.rotations(weird)).containsExactly(rot);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The fake clock's current instant. */
  protected final Instant now() {
    return clock.instant();
  }

  /** Opens a further fresh set with these bounds, closed after the test. */
  protected final CoordinatorStores open(DirectoryLimits limits) {
    CoordinatorStores s = newStores(limits);
    opened.add(s);
    return s;
  }

  /** A distinct Ed25519 public key value per seed (the directory never decodes keys). */
  protected static PublicKeyBytes key(int seed) {
    byte[] b = new byte[PublicKeyBytes.LENGTH];
    b[0] = (byte) seed;
    b[31] = (byte) (seed * 7);
    return PublicKeyBytes.of(b);
  }

  private static NodeId id(int i) {
    return NodeId.of("kc_bound_" + i);
  }

  private static void assertRefused(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(KasComputeException.class)
        .satisfies(e -> assertThat(((KasComputeException) e).code()).as(e.getMessage()).isEqualTo(code));
  }
}
