package io.kascompute.crypto.ledger;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.TaskId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.payload.TaskProofPayload;
import io.kascompute.core.wire.Fields;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** Writing and strict reading of ledger entry leaves. */
final class EntryCodec {
  static final int SIGNATURE_HEX = 128;
  static final int KEY_HEX = 64;
  static final int HASH_HEX = 64;

  private static final StrictJsonReader READER =
      StrictJsonReader.withLimits(new JsonLimits(LedgerEntry.MAX_LEAF_BYTES, 2));
  private static final Set<String> JOB_MEMBERS = Set.of("accepted_unix", "client_version",
      "coordinator", "elapsed_ms", "job_id", "kind", "miner_id", "node_id", "proof_hash",
      "public_key_hex", "scheme", "signature", "ts", "work_units", "workload_mode");
  private static final Set<String> TASK_MEMBERS = Set.of("accepted_unix", "client_version",
      "coordinator", "elapsed_ms", "kind", "node_id", "proof_hash", "public_key_hex", "run_id",
      "scheme", "signature", "task_hash", "task_id", "ts", "work_units");
  private static final Set<String> ROTATION_MEMBERS = Set.of("accepted_unix", "by", "coordinator",
      "kind", "new_public_key_hex", "node_id", "old_public_key_hex", "rotation_signature", "ts");

  private EntryCodec() {}

  // ---- writing: members in RFC 8785 order (all names are ASCII, so byte order) ----------------

  /** A writer of one entry object whose members the caller adds in sorted order. */
  static final class Leaf {
    private final JsonWriter w = new JsonWriter(768);
    private boolean first = true;

    Leaf() {
      w.raw('{');
    }

    private void name(String name) {
      w.raw(first ? '"' : ',');
      if (!first) {
        w.raw('"');
      }
      first = false;
      w.raw(name).raw('"').raw(':');
    }

    Leaf string(String name, String value) {
      name(name);
      w.string(value);
      return this;
    }

    Leaf u64(String name, long value) {
      name(name);
      w.raw('"').raw(Long.toUnsignedString(value)).raw('"');
      return this;
    }

    /** Closes the object and returns its bytes. */
    byte[] bytes() {
      return w.raw('}').toByteArray();
    }

    /** Closes the object and returns its leaf hash, without copying the bytes. */
    Sha256Digest leafHash() {
      w.raw('}');
      return Sha256Digest.of(Hashing.leaf(Hashing.sha256(), w.buffer(), 0, w.size()));
    }
  }

  // ---- validation shared by the entry records ------------------------------------------------

  /** Checks that {@code hex} is exactly {@code chars} lowercase hex digits. */
  static String lowerHex(String field, String hex, int chars) {
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new KasComputeException(ErrorCode.MALFORMED_HEX,
            field + " must be lowercase hex, it has '" + printable(c) + "' at " + i);
      }
    }
    if (hex.length() != chars) {
      throw new KasComputeException(ErrorCode.WRONG_LENGTH, field + " must be " + chars / 2
          + " bytes (" + chars + " hex characters), got " + hex.length() + " characters");
    }
    return hex;
  }

  /** Lowercases hex of either case, then checks it as {@link #lowerHex}. */
  static String normalizeHex(String field, String hex, int chars) {
    return lowerHex(field, hex.toLowerCase(java.util.Locale.ROOT), chars);
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }

  // ---- strict reading --------------------------------------------------------------------------

  static LedgerEntry parse(byte[] bytes, int off, int len) {
    JsonObject o = Fields.object(READER.read(bytes, off, len), "a ledger entry");
    String kind = str(o, "kind");
    LedgerEntry entry = switch (kind) {
      case "job" -> job(o);
      case "task" -> task(o);
      case "key_rotation" -> rotation(o);
      default -> throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "kind must be \"job\", \"task\" or \"key_rotation\", not \"" + kind + "\"");
    };
    byte[] canonical = entry.leafBytes();
    if (!Arrays.equals(canonical, 0, canonical.length, bytes, off, off + len)) {
      throw new KasComputeException(ErrorCode.NON_CANONICAL_ENTRY,
          "the line is not the canonical form of the " + kind + " entry it holds (members in RFC"
              + " 8785 order, no whitespace, minimal escapes)");
    }
    return entry;
  }

  private static JobEntry job(JsonObject o) {
    members(o, JOB_MEMBERS, "job");
    SignatureScheme scheme = SignatureScheme.fromWireName(str(o, "scheme"));
    JobProofPayload payload = new JobProofPayload(NodeId.of(str(o, "node_id")),
        optionalStr(o, "miner_id"), u64(o, "job_id"), u64(o, "work_units"),
        str(o, "workload_mode"), u64(o, "elapsed_ms"), str(o, "client_version"), u64(o, "ts"));
    return new JobEntry(scheme, payload, str(o, "signature"), str(o, "public_key_hex"),
        optionalStr(o, "proof_hash"), u64(o, "accepted_unix"), str(o, "coordinator"));
  }

  private static TaskEntry task(JsonObject o) {
    members(o, TASK_MEMBERS, "task");
    String scheme = str(o, "scheme");
    if (!scheme.equals(SignatureScheme.DIGEST.wireName())) {
      throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
          "a task entry's scheme must be \"digest\", not \"" + scheme + "\"");
    }
    String taskHash = lowerHex("task_hash", str(o, "task_hash"), HASH_HEX);
    TaskProofPayload payload = new TaskProofPayload(NodeId.of(str(o, "node_id")),
        RunId.of(str(o, "run_id")), TaskId.of(str(o, "task_id")), Sha256Digest.fromHex(taskHash),
        u64(o, "work_units"), u64(o, "elapsed_ms"), str(o, "client_version"), u64(o, "ts"));
    return new TaskEntry(payload, str(o, "signature"), str(o, "public_key_hex"),
        str(o, "proof_hash"), u64(o, "accepted_unix"), str(o, "coordinator"));
  }

  private static KeyRotationEntry rotation(JsonObject o) {
    members(o, ROTATION_MEMBERS, "key_rotation");
    return new KeyRotationEntry(NodeId.of(str(o, "node_id")), str(o, "old_public_key_hex"),
        str(o, "new_public_key_hex"), KeyRotationEntry.Authority.fromWireName(str(o, "by")),
        optionalStr(o, "rotation_signature"), u64(o, "ts"), u64(o, "accepted_unix"),
        str(o, "coordinator"));
  }

  private static void members(JsonObject o, Set<String> allowed, String kind) {
    for (String name : o.members().keySet()) {
      if (!allowed.contains(name)) {
        throw new KasComputeException(ErrorCode.NON_CANONICAL_ENTRY,
            "a " + kind + " entry has no member \"" + name + "\"");
      }
    }
  }

  private static String str(JsonObject o, String name) {
    JsonValue v = o.members().get(name);
    if (v == null) {
      throw Fields.missing(name);
    }
    if (v instanceof JsonString s) {
      return s.value();
    }
    throw Fields.wrongType(name, "a string", v);
  }

  private static Optional<String> optionalStr(JsonObject o, String name) {
    return o.members().containsKey(name) ? Optional.of(str(o, name)) : Optional.empty();
  }

  /** A member holding an unsigned 64-bit integer as a canonical decimal string. */
  private static long u64(JsonObject o, String name) {
    return parseU64(name, str(o, name));
  }

  /** Parses a canonical unsigned 64-bit decimal: digits only, no leading zero but for "0". */
  static long parseU64(String name, String s) {
    int n = s.length();
    boolean digits = n > 0 && n <= 20 && (n == 1 || s.charAt(0) != '0');
    for (int i = 0; digits && i < n; i++) {
      char c = s.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    if (digits) {
      try {
        return Long.parseUnsignedLong(s);
      } catch (NumberFormatException e) {
        // above 2^64-1, reported below
      }
    }
    throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, name + " must be an unsigned 64-bit"
        + " integer written as decimal digits without leading zeros, got \"" + s + "\"");
  }
}
