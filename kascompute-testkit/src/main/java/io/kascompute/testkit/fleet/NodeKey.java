package io.kascompute.testkit.fleet;

import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSignature;
import io.kascompute.crypto.ProofSigner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A simulated node's Ed25519 key, derived deterministically from the fleet seed and the node index. */
final class NodeKey {
  private final ProofSigner signer;
  private final String publicKeyHex;
  private final NodeId nodeId;

  private NodeKey(NodeKeyPair keys) {
    this.signer = ProofSigner.of(keys);
    this.publicKeyHex = keys.publicKey().hex();
    this.nodeId = keys.nodeId();
  }

  /**
   * The key of node {@code index} in a fleet seeded with {@code seed}: its secret seed is SHA-256
   * of {@code "kascompute-fleet"} followed by the seed and the index as big-endian 64-bit integers.
   */
  static NodeKey derive(long seed, int index) {
    byte[] material = ByteBuffer.allocate(32)
        .put("kascompute-fleet".getBytes(StandardCharsets.US_ASCII))
        .putLong(seed).putLong(index).array();
    return new NodeKey(NodeKeyPair.fromSeed(Sha256Digest.hash(material).toByteArray()));
  }

  NodeId nodeId() {
    return nodeId;
  }

  String publicKeyHex() {
    return publicKeyHex;
  }

  JobProofSubmission sign(JobProofPayload payload) {
    return signer.signJobProof(payload);
  }

  ProofSignature sign(TaskProofPayload payload) {
    return signer.signTaskProof(payload);
  }

  String sign(HeartbeatPayload payload) {
    return signer.signHeartbeat(payload);
  }
}
