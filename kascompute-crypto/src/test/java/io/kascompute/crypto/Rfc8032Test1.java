package io.kascompute.crypto;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.TaskProofPayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The worked-example inputs of docs/spec/proofs.md: the RFC 8032 TEST 1 key and fixed payloads. */
final class Rfc8032Test1 {
  static final String SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  static final String PUBLIC_KEY_HEX =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  static final NodeKeyPair KEYS = NodeKeyPair.fromSeedHex(SEED_HEX);

  static final JobProofPayload JOB = new JobProofPayload(
      NodeId.of("kc_node_01"), Optional.empty(), 123, 42, "sim", 150, "launcher-miner/0.2.0",
      1_710_000_000L);

  static final TaskProofPayload TASK = new TaskProofPayload(
      NodeId.of("kc_d75a980182b10ab7"), RunId.of("run-0001"), TaskId.of("t1"),
      Sha256Digest.hash("x".getBytes(StandardCharsets.UTF_8)), 42, 150, "kascompute-sdk/0.1.0",
      1_710_000_000L);

  static final HeartbeatPayload HEARTBEAT = new HeartbeatPayload(
      NodeId.of("kc_d75a980182b10ab7"), PUBLIC_KEY_HEX, List.of("node", "miner"),
      "kascompute-sdk/0.1.0", 1_710_000_000L);

  static final LauncherHeartbeat LAUNCHER_HEARTBEAT = new LauncherHeartbeat(
      NodeId.of("kc_d75a980182b10ab7"), "cpu", 1_710_000_000L);

  private Rfc8032Test1() {}
}
