package io.kascompute.crypto.ledger;

import io.kascompute.core.CodePointOrder;
import io.kascompute.core.ErrorCode;
import io.kascompute.core.Sha256Digest;
import java.math.BigInteger;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@link LedgerAuditor} found in a ledger export, measured against a checkpoint.
 *
 * @param checkpoint the checkpoint audited against (its signature checked by the caller)
 * @param entries the entries audited: the export's first {@code checkpoint.size()} lines, or all
 *     of them if the export is shorter
 * @param entriesBeyond the export's lines after the checkpoint's size, counted but not audited
 * @param root the RFC 9162 root of the audited entries
 * @param jobProofs job entries that passed every check
 * @param taskProofs task entries that passed every check
 * @param rotations key rotation entries that passed every check
 * @param failures entries that failed a check
 * @param failuresByCode the failing entries per reason
 * @param firstFailure the first failing entry, if any
 * @param duplicates entries whose signature an earlier entry already carried (also failures)
 * @param nodes per id (code point order): proofs credited, their work units, rotations, and the
 *     key pinned at the end
 */
public record AuditReport(
    Checkpoint checkpoint,
    long entries,
    long entriesBeyond,
    Sha256Digest root,
    long jobProofs,
    long taskProofs,
    long rotations,
    long failures,
    Map<ErrorCode, Long> failuresByCode,
    Optional<EntryFailure> firstFailure,
    long duplicates,
    Map<String, NodeSummary> nodes) {

  /** Copies the maps. */
  public AuditReport {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(firstFailure, "firstFailure");
    EnumMap<ErrorCode, Long> codes = new EnumMap<>(ErrorCode.class);
    codes.putAll(failuresByCode);
    failuresByCode = Collections.unmodifiableMap(codes);
    TreeMap<String, NodeSummary> sorted = new TreeMap<>(CodePointOrder.COMPARATOR);
    sorted.putAll(nodes);
    nodes = Collections.unmodifiableMap(sorted);
  }

  /** Whether the export holds exactly the checkpoint's entries: as many, with its root. */
  public boolean rootMatches() {
    return entries == checkpoint.size() && root.equals(checkpoint.root());
  }

  /** Whether the audit passed: the root matches and no entry failed. */
  public boolean passed() {
    return rootMatches() && failures == 0;
  }

  /**
   * One entry that failed.
   *
   * @param index the entry's index in the log (its 0-based line number)
   * @param code the reason
   * @param message what was wrong
   */
  public record EntryFailure(long index, ErrorCode code, String message) {
    /** Checks that nothing is null. */
    public EntryFailure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * One node id's totals over the entries that passed.
   *
   * @param proofs job and task proofs credited to the node ({@code node_id})
   * @param workUnits the sum of their {@code work_units}
   * @param rotations key rotations of the id
   * @param publicKeyHex the key pinned for the id at the end of the audit, if it signed anything
   */
  public record NodeSummary(
      long proofs, BigInteger workUnits, long rotations, Optional<String> publicKeyHex) {
    /** Checks that nothing is null. */
    public NodeSummary {
      Objects.requireNonNull(workUnits, "workUnits");
      Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    }
  }
}
