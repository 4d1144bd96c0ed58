package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class NodeKeyPairTest {

  @Test
  void derivesTheRfc8032Test1PublicKeyAndLauncherNodeId() {
    NodeKeyPair keys = NodeKeyPair.fromSeedHex(Rfc8032Test1.SEED_HEX);
    assertThat(keys.publicKey().hex()).isEqualTo(Rfc8032Test1.PUBLIC_KEY_HEX);
    assertThat(keys.nodeId().value()).isEqualTo("kc_d75a980182b10ab7");
    assertThat(keys.exportSecretSeedHex()).isEqualTo(Rfc8032Test1.SEED_HEX);
  }

  @Test
  void toStringNeverShowsTheSecret() {
    NodeKeyPair keys = NodeKeyPair.fromSeedHex(Rfc8032Test1.SEED_HEX);
    assertThat(keys.toString()).doesNotContain(Rfc8032Test1.SEED_HEX.substring(0, 8))
        .contains(Rfc8032Test1.PUBLIC_KEY_HEX);
  }

  @Test
  void exportedSeedIsACopy() {
    NodeKeyPair keys = NodeKeyPair.generate(new SecureRandom());
    byte[] seed = keys.exportSecretSeed();
    seed[0] ^= 1;
    assertThat(keys.exportSecretSeed()).isNotEqualTo(seed);
    assertThat(NodeKeyPair.fromSeed(keys.exportSecretSeed()).publicKey()).isEqualTo(keys.publicKey());
  }

  @Test
  void refusesBadSeedsWithoutEchoingThem() {
    assertThatThrownBy(() -> NodeKeyPair.fromSeed(new byte[31]))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SECRET_KEY));
    String bad = "zz" + Rfc8032Test1.SEED_HEX.substring(2);
    assertThatThrownBy(() -> NodeKeyPair.fromSeedHex(bad))
        .isInstanceOfSatisfying(KasComputeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SECRET_KEY);
          assertThat(e.getMessage()).doesNotContain(bad.substring(2, 20));
        });
  }
}
