package io.kascompute.dag.coordinator;

import io.kascompute.core.HexCodec;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherHeartbeat;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.core.wire.JobProofRequest;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.wire.NodeRequest;
import io.kascompute.core.wire.TaskProofRequest;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSignature;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** A simulated node: its key, and the request bodies it sends, built with the wire codecs. */
final class SimNode {
  final NodeKeyPair keys;
  final ProofSigner signer;
  final String id;

  SimNode(int seed) {
    this(seed, null);
  }

  /** A node with a free-form id instead of the launcher-style one of its key. */
  SimNode(int seed, String freeFormId) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    s[0] = (byte) (seed >> 8);
    this.keys = NodeKeyPair.fromSeed(s);
    this.signer = ProofSigner.of(keys);
    this.id = freeFormId != null ? freeFormId : keys.publicKey().nodeId().value();
  }

  String pub() {
    return keys.publicKey().hex();
  }

  /** A heartbeat signed in the SDK's digest scheme. */
  String heartbeat(long ts, String... roles) {
    List<String> r = roles.length == 0 ? List.of("node") : List.of(roles);
    String sig = signer.signHeartbeat(new HeartbeatPayload(NodeId.of(id), pub(), r, "sim/1", ts));
    return text(new HeartbeatRequest(NodeId.of(id), pub(), Optional.of(r), Optional.empty(),
        Optional.of("sim/1"), Optional.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        Optional.empty(), OptionalLong.of(ts), Optional.of(sig), Optional.empty()).toJson());
  }

  /** The public launcher's heartbeat: signed over {@code hb|node_id|profile|ts}, no roles. */
  String launcherHeartbeat(long ts, String profile) {
    String sig = signer.signLauncherHeartbeat(new LauncherHeartbeat(NodeId.of(id), profile, ts));
    return text(new HeartbeatRequest(NodeId.of(id), pub(), Optional.empty(),
        Optional.of(new io.kascompute.core.json.JsonString(profile)), Optional.empty(),
        Optional.of("sim"), OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(),
        OptionalLong.of(ts), Optional.of(sig), Optional.empty()).toJson());
  }

  /**
   * The heartbeat of this node's key that rotates {@code id}'s pinned key to it: signed with this
   * key, carrying the pinned key's {@code rotation_signature_hex}.
   */
  String rotatingHeartbeat(long ts, String rotationSignatureHex) {
    String sig = signer.signHeartbeat(new HeartbeatPayload(NodeId.of(id), pub(), List.of("node"),
        "sim/1", ts));
    return text(new HeartbeatRequest(NodeId.of(id), pub(), Optional.of(List.of("node")),
        Optional.empty(), Optional.of("sim/1"), Optional.empty(), OptionalDouble.empty(),
        OptionalDouble.empty(), Optional.empty(), OptionalLong.of(ts), Optional.of(sig),
        Optional.of(rotationSignatureHex)).toJson());
  }

  /** {@code previous}'s consent, by its key, to rotate the id's pin to this node's key at {@code ts}. */
  String rotationConsentFrom(SimNode previous, long ts) {
    byte[] consent = KeyRotationEntry.message(NodeId.of(id), previous.keys.publicKey(),
        keys.publicKey(), ts);
    return HexCodec.encode(Signatures.signRaw(previous.keys, consent));
  }

  String unsignedHeartbeat() {
    return text(HeartbeatRequest.of(NodeId.of(id), pub(), List.of("node")).toJson());
  }

  String nodeBody() {
    return text(new NodeRequest(NodeId.of(id)).toJson());
  }

  /** A signed task proof for a lease ({@code task} object of a next answer). */
  String taskProof(JsonObject lease, long elapsedMs, long ts, boolean echoEpoch) {
    return taskProofAs(id, lease, Http.Reply.num(lease, "work_units"), elapsedMs, ts, echoEpoch);
  }

  String taskProofAs(String nodeId, JsonObject lease, long workUnits, long elapsedMs, long ts, boolean echoEpoch) {
    TaskProofPayload p = new TaskProofPayload(NodeId.of(nodeId), RunId.of(str(lease, "run_id")),
        TaskId.of(str(lease, "task_id")), Sha256Digest.fromHex(str(lease, "task_hash")),
        workUnits, elapsedMs, "sim/1", ts);
    ProofSignature s = signer.signTaskProof(p);
    return text(new TaskProofRequest(NodeId.of(nodeId), workUnits, elapsedMs, Optional.of("sim/1"),
        OptionalLong.of(ts), Optional.of(s.signature()), Optional.of(s.publicKeyHex()),
        Optional.of(s.proofHash()),
        echoEpoch ? OptionalLong.of(Http.Reply.num(lease, "lease_epoch")) : OptionalLong.empty())
        .toJson());
  }

  JobProofSubmission jobProof(long jobId, long workUnits, long elapsedMs, long ts) {
    return signer.signJobProof(new JobProofPayload(
        NodeId.of(id), Optional.empty(), jobId, workUnits, "sim", elapsedMs, "sim/1", ts));
  }

  /** The public launcher's proof body for a job: launcher scheme, no job_id, no key, no hash. */
  String launcherJobProof(long jobId, long workUnits, long ts) {
    JobProofPayload p = new JobProofPayload(NodeId.of(id), Optional.empty(), jobId, workUnits,
        "sim", 1234, JobProofRequest.LAUNCHER_CLIENT_VERSION, ts);
    String sig = signer.signLauncherJobProof(p).signature();
    return text(new JobProofRequest(NodeId.of(id), Optional.empty(), OptionalLong.empty(),
        workUnits, Optional.of("sim"), OptionalLong.of(1234),
        Optional.of(JobProofRequest.LAUNCHER_CLIENT_VERSION), OptionalLong.of(ts),
        Optional.empty(), Optional.of(sig), Optional.empty(), Optional.of("00ff"),
        OptionalLong.empty()).toJson());
  }

  static String json(JobProofSubmission s) {
    return text(s.toJsonBytes());
  }

  static String str(JsonObject o, String key) {
    return ((io.kascompute.core.json.JsonString) o.members().get(key)).value();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
