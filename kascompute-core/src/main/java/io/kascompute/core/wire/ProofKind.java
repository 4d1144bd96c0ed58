package io.kascompute.core.wire;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Locale;

/** What an accepted proof completed: a plain job or a DAG task. */
public enum ProofKind {
  /** A plain job ({@code /v1/jobs/*}). */
  JOB,
  /** A ComputeDAG task. */
  TASK;

  /** The wire name, lowercase. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind with this wire name.
   *
   * @throws KasComputeException {@link ErrorCode#FIELD_OUT_OF_RANGE} for any other text
   */
  public static ProofKind fromWireName(String name) {
    for (ProofKind k : values()) {
      if (k.wireName().equals(name)) {
        return k;
      }
    }
    throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "unknown proof kind \"" + name + "\"");
  }
}
