package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.HexCodec;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.PublicKeyBytes;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.presence.GeoEnricher;
import io.kascompute.core.presence.GeoLocation;
import io.kascompute.core.wire.HeartbeatRequest;
import io.kascompute.crypto.NodePublicKey;
import io.kascompute.crypto.ProofVerifier;
import io.kascompute.crypto.Signatures;
import io.kascompute.crypto.ledger.KeyRotationEntry;
import io.kascompute.dag.directory.KeyEvidence;
import io.kascompute.dag.directory.KeyRotation;
import io.kascompute.dag.directory.NodeDirectory;
import io.kascompute.dag.directory.NodePresence;
import io.kascompute.dag.directory.NodeRecord;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Node identity: heartbeats (presence, key pinning on proof of possession, rotations) and the key
 * a proof must verify against. Nothing here changes state before every check passed.
 */
final class IdentityService {
  private static final System.Logger LOG = System.getLogger(IdentityService.class.getName());
  private static final Pattern LAUNCHER_ID = Pattern.compile("kc_[0-9a-f]{16}");

  private final NodeDirectory directory;
  private final ProofVerifier verifier;
  private final VerificationPolicy policy;
  private final GeoEnricher geo;
  private final Admission admission;
  private final Duration heartbeatWindow;
  private final String coordinatorId;

  IdentityService(NodeDirectory directory, ProofVerifier verifier, VerificationPolicy policy,
      GeoEnricher geo, Admission admission, Duration heartbeatWindow, String coordinatorId) {
    this.directory = directory;
    this.coordinatorId = coordinatorId;
    this.verifier = verifier;
    this.policy = policy;
    this.geo = geo;
    this.admission = admission;
    this.heartbeatWindow = heartbeatWindow;
  }

  /** A proof's signer: the node, or its miner, with the key its proof must verify against. */
  record Signer(NodeId id, NodePublicKey key, boolean pinned) {}

  NodeRecord heartbeat(HeartbeatRequest r, Optional<String> remote, Instant now) {
    NodeId id = r.nodeId();
    admission.id("node_id", id.value());
    admission.roles(r.effectiveRoles());
    admission.text("client_version", r.clientVersion());
    admission.text("workload_mode", r.workloadMode());
    admission.computeProfile(r.computeProfile());
    NodePublicKey key = verifier.publicKey(r.publicKeyHex());
    checkLauncherId(id, key);
    boolean signed = r.signatureHex().isPresent();
    if (signed) {
      long ts = r.payload().timestampUnix();
      long skew = Math.abs(ts - now.getEpochSecond());
      if (ts < 0 || skew > heartbeatWindow.toSeconds()) {
        throw new KasComputeException(ErrorCode.TIMESTAMP_OUT_OF_WINDOW,
            "timestamp_unix " + Long.toUnsignedString(ts) + " is more than "
                + heartbeatWindow.toSeconds() + " s from the coordinator's clock "
                + now.getEpochSecond());
      }
      SignatureScheme scheme = verifier.verifyHeartbeat(
          r.payload(), r.launcherMessage(), r.signatureHex().get(), key).orThrow();
      LOG.log(Level.TRACE, () -> "heartbeat of " + id + " verified in the " + scheme.wireName()
          + " scheme");
    } else if (r.rotationSignatureHex().isPresent()) {
      throw new KasComputeException(ErrorCode.MISSING_SIGNATURE,
          "a rotating heartbeat must be signed with its new key (signature_hex)");
    }
    Optional<GeoLocation> where = geo.locate(r, remote);
    NodePresence presence = new NodePresence(
        r.effectiveRoles(), r.computeProfile(), r.effectiveClientVersion(), where);
    PublicKeyBytes keyBytes = key.toPublicKeyBytes();
    if (r.rotationSignatureHex().isPresent()) {
      rotate(id, key, r.rotationSignatureHex().get(), r.timestampUnix().getAsLong(), now);
    }
    boolean pin = signed || policy == VerificationPolicy.V1_COMPAT;
    KeyEvidence evidence = signed ? KeyEvidence.SIGNED_HEARTBEAT : KeyEvidence.UNSIGNED_HEARTBEAT;
    return directory.heartbeat(id, keyBytes, pin, evidence, presence, now);
  }

  /** Applies a node's own rotation to {@code newKey}, consented to by its pinned key. */
  private void rotate(NodeId id, NodePublicKey newKey, String signatureHex, long ts, Instant now) {
    NodeRecord current = directory.node(id).filter(NodeRecord::pinned)
        .orElseThrow(() -> new KasComputeException(ErrorCode.UNKNOWN_NODE,
            "node " + id + " has no pinned key to rotate from"));
    PublicKeyBytes newBytes = newKey.toPublicKeyBytes();
    if (current.key().equals(newBytes)) {
      return; // the rotation already happened (a retried heartbeat)
    }
    NodePublicKey pinned = NodePublicKey.of(current.key());
    byte[] message = KeyRotationEntry.message(id, pinned, newKey, ts);
    byte[] sig = HexCodec.decode("rotation_signature_hex", signatureHex, 64);
    try {
      Signatures.verifyRaw(pinned, message, sig);
    } catch (KasComputeException e) {
      throw new KasComputeException(e.code(), "rotation_signature_hex does not verify under the"
          + " pinned key " + current.key().hex().substring(0, 16) + "…: " + e.getMessage(), e);
    }
    directory.rotate(new KeyRotation(id, current.key(), newBytes, KeyEvidence.NODE_ROTATION,
        Optional.of(HexCodec.encode(sig)), ts, now, coordinatorId));
  }

  /** An operator's rotation of a node's pinned key. */
  NodeRecord rotateByOperator(NodeId id, PublicKeyBytes newKey, Instant now) {
    NodeRecord current = directory.node(id).filter(NodeRecord::pinned)
        .orElseThrow(() -> new KasComputeException(ErrorCode.UNKNOWN_NODE,
            "node " + id + " has no pinned key to rotate from"));
    NodePublicKey.of(newKey);
    return directory.rotate(new KeyRotation(id, current.key(), newKey, KeyEvidence.OPERATOR,
        Optional.empty(), now.getEpochSecond(), now, coordinatorId));
  }

  /** Whether the node ever sent a heartbeat (V1: a node that did not gets no job and no task). */
  boolean known(NodeId node) {
    return directory.pinnedKey(node).isPresent() || directory.node(node).isPresent();
  }

  /**
   * The signer of a proof by {@code node}: its {@code miner_id}'s record when it names one, else
   * the node's; a key the proof carries must be that key.
   *
   * @throws KasComputeException {@code unknown_node}, {@code unknown_miner}, {@code key_mismatch}
   */
  Signer signer(NodeId node, Optional<String> minerId, Optional<String> sentKeyHex) {
    SignerKey signer = signerKey(node, ErrorCode.UNKNOWN_NODE, "node ");
    if (minerId.isPresent()) {
      NodeId miner = NodeId.of(admission.id("miner_id", minerId.get()));
      signer = signerKey(miner, ErrorCode.UNKNOWN_MINER, "miner ");
    }
    if (sentKeyHex.isPresent() && !sentKeyHex.get().equalsIgnoreCase(signer.key().hex())) {
      throw new KasComputeException(ErrorCode.KEY_MISMATCH, (minerId.isPresent() ? "miner " : "node ")
          + signer.id() + (signer.pinned() ? " pinned" : " claims") + " key "
          + signer.key().hex().substring(0, 16) + "…; the proof carries another public_key_hex");
    }
    NodePublicKey key = verifier.publicKey(signer.key().hex());
    checkLauncherId(signer.id(), key);
    return new Signer(signer.id(), key, signer.pinned());
  }

  /** An id's key as stored: pinned, or only claimed. */
  private record SignerKey(NodeId id, PublicKeyBytes key, boolean pinned) {}

  /**
   * The key of {@code id}: its pinned key through the directory's pinned-key lookup (which may be
   * cached), else, for an id that only claims a key, its record.
   */
  private SignerKey signerKey(NodeId id, ErrorCode unknown, String what) {
    Optional<PublicKeyBytes> pinned = directory.pinnedKey(id);
    if (pinned.isPresent()) {
      return new SignerKey(id, pinned.get(), true);
    }
    NodeRecord r = directory.node(id).orElseThrow(() -> new KasComputeException(unknown,
        what + id + " never sent a heartbeat, so no key is known to verify its proof against"));
    return new SignerKey(r.nodeId(), r.key(), r.pinned());
  }

  /** Pins the key a proof verified against, if it was only claimed (best effort: a lost race is logged). */
  void pinAfterProof(Signer signer, Instant now) {
    if (signer.pinned()) {
      return;
    }
    try {
      directory.pinClaimedKey(signer.id(), signer.key().toPublicKeyBytes(), now);
    } catch (KasComputeException e) {
      LOG.log(Level.WARNING, "could not pin the key of " + signer.id() + " after its first"
          + " verified proof: " + e.getMessage());
    }
  }

  /** A launcher-style id ({@code kc_} and 16 lowercase hex digits) must be the key's own. */
  private static void checkLauncherId(NodeId id, NodePublicKey key) {
    String v = id.value();
    if (LAUNCHER_ID.matcher(v).matches() && !key.nodeId().equals(id)) {
      throw new KasComputeException(ErrorCode.KEY_MISMATCH, "node id " + v
          + " has the launcher form, but the key's id is " + key.nodeId());
    }
  }
}
