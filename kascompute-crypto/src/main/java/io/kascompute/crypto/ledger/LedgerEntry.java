package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.Sha256Digest;

/**
 * One entry of the ledger of accepted proofs: a job proof, a task proof or a key rotation, as the
 * coordinator accepted it. Its leaf bytes are the RFC 8785 canonical JSON of the entry's object,
 * every integer written as a decimal string (so that unsigned 64-bit values stay exact), one line
 * without a newline; {@code docs/spec/ledger.md} defines every member.
 *
 * <p>{@link #parse(byte[])} is strict: it refuses unknown kinds and members, missing members,
 * members of the wrong type, and any line that is not exactly the canonical form of the entry it
 * parses to, so that an export cannot be reformatted unseen.
 */
public sealed interface LedgerEntry permits JobEntry, TaskEntry, KeyRotationEntry {
  /** The longest leaf line accepted, in bytes. */
  int MAX_LEAF_BYTES = 65_536;

  /**
   * Reads one leaf line (without its newline).
   *
   * @throws KasComputeException a JSON reading code such as {@code malformed_json} or {@code
   *     body_too_large}; {@code wrong_type} if it is not an object or a member has the wrong type;
   *     {@code missing_field}; {@code field_out_of_range} for an unknown {@code kind}, {@code
   *     scheme} or {@code by}, or an integer that is not a canonical unsigned 64-bit decimal;
   *     {@code malformed_hex} or {@code wrong_length} for a hex member that is not lowercase hex
   *     of its length; {@link ErrorCode#NON_CANONICAL_ENTRY} for an unknown member or bytes that
   *     are not the canonical form
   */
  static LedgerEntry parse(byte[] leaf) {
    return EntryCodec.parse(leaf, 0, leaf.length);
  }

  /** Reads the leaf line held in {@code len} bytes of {@code leaf} from {@code off}, as {@link #parse(byte[])}. */
  static LedgerEntry parse(byte[] leaf, int off, int len) {
    return EntryCodec.parse(leaf, off, len);
  }

  /** The entry's {@code kind}: {@code "job"}, {@code "task"} or {@code "key_rotation"}. */
  String kind();

  /** The node the entry is about ({@code node_id}). */
  NodeId nodeId();

  /** When the coordinator accepted it, in Unix seconds ({@code accepted_unix}). */
  long acceptedUnix();

  /** The id of the coordinator that accepted it ({@code coordinator}). */
  String coordinator();

  /**
   * The leaf bytes: the entry's canonical JSON.
   *
   * @throws KasComputeException {@code invalid_utf8} if a string holds a lone surrogate
   */
  byte[] leafBytes();

  /**
   * The RFC 9162 leaf hash of {@link #leafBytes()}.
   *
   * @throws KasComputeException {@code invalid_utf8} if a string holds a lone surrogate
   */
  Sha256Digest leafHash();
}
