package io.kascompute.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.PublicKeyBytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NodePublicKeyTest {

  @Test
  void acceptsAnHonestKeyInEitherCaseAndWireForm() {
    NodePublicKey k = NodePublicKey.fromHex(Rfc8032Test1.PUBLIC_KEY_HEX.toUpperCase());
    assertThat(k.hex()).isEqualTo(Rfc8032Test1.PUBLIC_KEY_HEX);
    assertThat(k.nodeId().value()).isEqualTo("kc_d75a980182b10ab7");
    assertThat(NodePublicKey.of(PublicKeyBytes.fromHex(Rfc8032Test1.PUBLIC_KEY_HEX))).isEqualTo(k);
    assertThat(k.toPublicKeyBytes().launcherNodeId()).isEqualTo(k.nodeId());
  }

  @ParameterizedTest
  @CsvSource({
    // identity point (order 1)
    "0100000000000000000000000000000000000000000000000000000000000000, INVALID_PUBLIC_KEY",
    // point of order 2 (y = -1)
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f, INVALID_PUBLIC_KEY",
    // y = p, a non-canonical encoding of y = 0
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f, INVALID_PUBLIC_KEY",
    // y = 2 is not on the curve
    "0200000000000000000000000000000000000000000000000000000000000000, INVALID_PUBLIC_KEY",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751, WRONG_LENGTH",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00, WRONG_LENGTH",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511g, MALFORMED_HEX",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511, MALFORMED_HEX",
  })
  void refusesWithTheExactReason(String hex, ErrorCode expected) {
    assertThatThrownBy(() -> NodePublicKey.fromHex(hex))
        .isInstanceOfSatisfying(KasComputeException.class,
            e -> assertThat(e.code()).isEqualTo(expected));
  }
}
