package io.kascompute.core.payload;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;

/**
 * The two ways V1 peers in the field sign proofs and heartbeats; a verifier reports which one
 * verified.
 */
public enum SignatureScheme {
  /**
   * The protocol text's pipeline: Ed25519 over the 32-byte SHA-256 of a schema-ordered compact
   * JSON payload ({@link JobProofPayload}, and the SDK's {@link TaskProofPayload} and {@link
   * HeartbeatPayload}).
   */
  DIGEST("digest"),
  /**
   * The public node launcher's scheme: Ed25519 over a raw ASCII message, {@code
   * pf|<node_id>|<job_id>|<work_units>|<ts>} for a job proof ({@link LauncherJobProof}) or {@code
   * hb|<node_id>|<compute_profile>|<timestamp_unix>} for a heartbeat ({@link LauncherHeartbeat}).
   */
  LAUNCHER("launcher");

  private final String wireName;

  SignatureScheme(String wireName) {
    this.wireName = wireName;
  }

  /** The scheme's name on the wire and in reports: {@code digest} or {@code launcher}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The scheme with this wire name.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for any other name
   */
  public static SignatureScheme fromWireName(String name) {
    for (SignatureScheme s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new KasComputeException(
        ErrorCode.FIELD_OUT_OF_RANGE, "scheme must be \"digest\" or \"launcher\", not \"" + name + "\"");
  }
}
