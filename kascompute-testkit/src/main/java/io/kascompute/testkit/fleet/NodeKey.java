package io.kascompute.testkit.fleet;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import java.nio.ByteBuffer;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A simulated node's Ed25519 key, derived deterministically from the fleet seed and the node index. */
final class NodeKey {
  private final Ed25519PrivateKeyParameters secret;
  private final String publicKeyHex;
  private final NodeId nodeId;

  private NodeKey(byte[] seed) {
    this.secret = new Ed25519PrivateKeyParameters(seed, 0);
    this.publicKeyHex = HexCodec.encode(secret.generatePublicKey().getEncoded());
    this.nodeId = NodeId.of("kc_" + publicKeyHex.substring(0, 16));
  }

  /** The key of node {@code index} in a fleet seeded with {@code seed}. */
  static NodeKey derive(long seed, int index) {
    byte[] material = ByteBuffer.allocate(32).put("kascompute-fleet".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putLong(seed).putLong(index).array();
    return new NodeKey(Sha256Digest.hash(material).toByteArray());
  }

  NodeId nodeId() {
    return nodeId;
  }

  String publicKeyHex() {
    return publicKeyHex;
  }

  /** Lowercase hex of the Ed25519 signature over the raw 32 digest bytes. */
  String sign(Sha256Digest digest) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, secret);
    byte[] d = digest.toByteArray();
    signer.update(d, 0, d.length);
    return HexCodec.encode(signer.generateSignature());
  }
}
