package io.kascompute.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.HeartbeatRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NodeRegistryTest {
  private static final Instant T0 = Instant.ofEpochSecond(1_710_000_000);
  private static final PublicKeyBytes K1 = PublicKeyBytes.of(new byte[32]);
  private static final PublicKeyBytes K2 = PublicKeyBytes.of(filled(7));

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  private static HeartbeatRequest hb(String id, String extra) {
    return HeartbeatRequest.fromJson((JsonObject) StrictJsonReader.withDefaults().read(
        "{\"node_id\":\"" + id + "\",\"public_key_hex\":\"00\"" + extra + "}"));
  }

  @Test
  void onlineForTheTtlAndUptimeOverTheStreak() {
    NodeRegistry r = NodeRegistry.create();
    r.heartbeat(hb("a", ",\"roles\":[\"node\",\"miner\"]"), K1, Optional.empty(), T0);
    r.heartbeat(hb("a", ",\"roles\":[\"node\",\"miner\"]"), K1, Optional.empty(), T0.plusSeconds(100));
    assertThat(r.isOnline(NodeId.of("a"), T0.plusSeconds(279))).isTrue();
    assertThat(r.isOnline(NodeId.of("a"), T0.plusSeconds(280))).isFalse();
    assertThat(r.node(NodeId.of("a")).get().uptime()).isEqualTo(Duration.ofSeconds(100));
    // a heartbeat after going offline starts a new streak; first seen stays
    NodeInfo back = r.heartbeat(hb("a", ""), K1, Optional.empty(), T0.plusSeconds(1000));
    assertThat(back.uptime()).isZero();
    assertThat(back.firstSeen()).isEqualTo(T0);
    assertThat(back.isMiner()).isFalse();
    assertThat(r.isOnline(NodeId.of("nobody"), T0)).isFalse();
  }

  @Test
  void activeCountsNodesAndMiners() {
    NodeRegistry r = NodeRegistry.create();
    r.heartbeat(hb("m1", ",\"roles\":[\"miner\"]"), K1, Optional.empty(), T0);
    r.heartbeat(hb("n1", ""), K1, Optional.empty(), T0.plusSeconds(50));
    r.heartbeat(hb("m2", ",\"roles\":[\"node\",\"miner\"]"), K1, Optional.empty(), T0.plusSeconds(60));
    Instant now = T0.plusSeconds(100);
    assertThat(r.activeCount(now, Duration.ofSeconds(90), false)).isEqualTo(2);
    assertThat(r.activeCount(now, Duration.ofSeconds(90), true)).isEqualTo(1);
    assertThat(r.activeCount(now, Duration.ofSeconds(101), true)).isEqualTo(2);
    assertThat(r.online(now)).extracting(n -> n.nodeId().value()).containsExactly("m1", "m2", "n1");
  }

  @Test
  void keysNeverRotateSilently() {
    NodeRegistry r = NodeRegistry.create();
    r.heartbeat(hb("a", ""), K1, Optional.empty(), T0);
    assertThatThrownBy(() -> r.heartbeat(hb("a", ""), K2, Optional.empty(), T0.plusSeconds(1)))
        .isInstanceOfSatisfying(KasComputeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_MISMATCH));
    assertThat(r.registeredKey(NodeId.of("a"))).contains(K1);
    assertThat(r.forget(NodeId.of("a"))).isTrue();
    r.heartbeat(hb("a", ""), K2, Optional.empty(), T0.plusSeconds(2));
    assertThat(r.registeredKey(NodeId.of("a"))).contains(K2);
  }

  @Test
  void boundedByEvictingLongOfflineThenLeastRecentlySeen() {
    NodeRegistry r = NodeRegistry.builder().maxNodes(3).evictAfter(Duration.ofHours(1)).build();
    r.heartbeat(hb("old", ""), K1, Optional.empty(), T0);
    r.heartbeat(hb("b", ""), K1, Optional.empty(), T0.plusSeconds(7200));
    r.heartbeat(hb("c", ""), K1, Optional.empty(), T0.plusSeconds(7201));
    r.heartbeat(hb("d", ""), K1, Optional.empty(), T0.plusSeconds(7202));
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.node(NodeId.of("old"))).isEmpty();
    r.heartbeat(hb("e", ""), K1, Optional.empty(), T0.plusSeconds(7203));
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.node(NodeId.of("b"))).isEmpty();
    r.evict(T0.plusSeconds(100_000));
    assertThat(r.size()).isZero();
  }

  @Test
  void defaultGeoHookUsesHeartbeatFieldsAndValidatesRanges() {
    GeoEnricher g = GeoEnricher.fromHeartbeat();
    assertThat(g.locate(hb("a", ""), Optional.empty())).isEmpty();
    GeoLocation loc = g.locate(hb("a", ",\"latitude\":-90,\"longitude\":180,\"country\":\"DE\""), Optional.empty()).get();
    assertThat(loc.latitude()).hasValue(-90.0);
    assertThat(loc.country()).contains("DE");
    assertThat(g.locate(hb("a", ",\"country\":\"DE\""), Optional.empty()).get().latitude()).isEmpty();
    for (String bad : new String[] {",\"latitude\":90.5,\"longitude\":0", ",\"latitude\":0,\"longitude\":-180.01",
        ",\"latitude\":1", ",\"longitude\":1", ",\"country\":\"\"", ",\"country\":\"a\\u0001\""}) {
      assertThatThrownBy(() -> g.locate(hb("a", bad), Optional.empty()))
          .isInstanceOfSatisfying(KasComputeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GEO));
    }
    assertThatThrownBy(() -> new GeoLocation(OptionalDouble.of(Double.NaN), OptionalDouble.of(0), Optional.empty()))
        .isInstanceOf(KasComputeException.class);
  }

  @Test
  void laterHeartbeatWithoutGeoKeepsTheKnownLocation() {
    NodeRegistry r = NodeRegistry.create();
    GeoLocation berlin = new GeoLocation(OptionalDouble.of(52.5), OptionalDouble.of(13.4), Optional.of("DE"));
    r.heartbeat(hb("a", ""), K1, Optional.of(berlin), T0);
    NodeInfo n = r.heartbeat(hb("a", ""), K1, Optional.empty(), T0.plusSeconds(5));
    assertThat(n.geo()).contains(berlin);
  }
}
