package io.kascompute.testkit.fleet;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A simulated node's identity: its key, derived from the fleet seed and the node's index, and
 * its node id — the key's launcher-style id for SDK-like nodes, or a configured {@code
 * kc_node_NN} id like the public launcher's.
 */
final class NodeKey {
  private final ProofSigner signer;
  private final String publicKeyHex;
  private final NodeId nodeId;

  private NodeKey(NodeKeyPair keys, NodeId nodeId) {
    this.signer = ProofSigner.of(keys);
    this.publicKeyHex = keys.publicKey().hex();
    this.nodeId = nodeId;
  }

  /**
   * The key of node {@code index} in a fleet seeded with {@code seed}: its secret seed is SHA-256
   * of {@code "kascompute-fleet"} followed by the seed and the index as big-endian 64-bit integers.
   *
   * @param launcherId give the node a configured id {@code kc_node_NN} instead of the key's own
   */
  static NodeKey derive(long seed, int index, boolean launcherId) {
    byte[] material = ByteBuffer.allocate(32)
        .put("kascompute-fleet".getBytes(StandardCharsets.US_ASCII))
        .putLong(seed).putLong(index).array();
    NodeKeyPair keys = NodeKeyPair.fromSeed(Sha256Digest.hash(material).toByteArray());
    NodeId id = launcherId ? NodeId.of(String.format("kc_node_%02d", index)) : keys.nodeId();
    return new NodeKey(keys, id);
  }

  NodeId nodeId() {
    return nodeId;
  }

  String publicKeyHex() {
    return publicKeyHex;
  }

  ProofSigner signer() {
    return signer;
  }
}
