package io.kascompute.dag.coordinator;

import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.HeartbeatPayload;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSignature;
import io.kascompute.crypto.ProofSigner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A simulated node: its key, and the request bodies it sends. */
final class SimNode {
  final NodeKeyPair keys;
  final ProofSigner signer;
  final String id;

  SimNode(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    s[0] = (byte) (seed >> 8);
    this.keys = NodeKeyPair.fromSeed(s);
    this.signer = ProofSigner.of(keys);
    this.id = keys.publicKey().nodeId().value();
  }

  String pub() {
    return keys.publicKey().hex();
  }

  String heartbeat(long ts, String... roles) {
    List<String> r = roles.length == 0 ? List.of("node") : List.of(roles);
    String sig = signer.signHeartbeat(new HeartbeatPayload(NodeId.of(id), pub(), r, "sim/1", ts));
    return "{\"node_id\":\"" + id + "\",\"public_key_hex\":\"" + pub() + "\",\"roles\":"
        + roleArray(r) + ",\"client_version\":\"sim/1\",\"timestamp_unix\":" + ts
        + ",\"signature_hex\":\"" + sig + "\"}";
  }

  String unsignedHeartbeat() {
    return "{\"node_id\":\"" + id + "\",\"public_key_hex\":\"" + pub() + "\"}";
  }

  String nodeBody() {
    return "{\"node_id\":\"" + id + "\"}";
  }

  /** A signed task proof for a lease ({@code task} object of a next answer). */
  String taskProof(JsonObject lease, long elapsedMs, long ts, boolean echoEpoch) {
    return taskProofAs(id, lease, Http.Reply.num(lease, "work_units"), elapsedMs, ts, echoEpoch);
  }

  String taskProofAs(String nodeId, JsonObject lease, long workUnits, long elapsedMs, long ts, boolean echoEpoch) {
    String run = str(lease, "run_id");
    String task = str(lease, "task_id");
    TaskProofPayload p = new TaskProofPayload(
        NodeId.of(nodeId), RunId.of(run), TaskId.of(task), Sha256Digest.fromHex(str(lease, "task_hash")),
        workUnits, elapsedMs, "sim/1", ts);
    ProofSignature s = signer.signTaskProof(p);
    return "{\"node_id\":\"" + nodeId + "\",\"work_units\":" + Long.toUnsignedString(workUnits)
        + ",\"elapsed_ms\":" + elapsedMs + ",\"client_version\":\"sim/1\",\"ts\":" + ts
        + ",\"proof_hash\":\"" + s.proofHash() + "\",\"signature\":\"" + s.signature()
        + "\",\"public_key_hex\":\"" + s.publicKeyHex() + "\""
        + (echoEpoch ? ",\"lease_epoch\":" + Http.Reply.num(lease, "lease_epoch") : "") + "}";
  }

  JobProofSubmission jobProof(long jobId, long workUnits, long elapsedMs, long ts) {
    return signer.signJobProof(new JobProofPayload(
        NodeId.of(id), Optional.empty(), jobId, workUnits, "sim", elapsedMs, "sim/1", ts));
  }

  static String json(JobProofSubmission s) {
    return new String(s.toJsonBytes(), StandardCharsets.UTF_8);
  }

  static String str(JsonObject o, String key) {
    return ((io.kascompute.core.json.JsonString) o.members().get(key)).value();
  }

  private static String roleArray(List<String> roles) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < roles.size(); i++) {
      sb.append(i > 0 ? "," : "").append('"').append(roles.get(i)).append('"');
    }
    return sb.append(']').toString();
  }
}
