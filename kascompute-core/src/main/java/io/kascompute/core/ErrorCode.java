package io.kascompute.core;

import java.util.Locale;

/**
 * Stable, machine-readable error codes shared by every module, each mapped to the HTTP status a
 * coordinator answers with.
 *
 * <p>The wire form of a code is its {@link #wireName() lowercase name} (for example {@code
 * stale_lease}); it appears in the V1 envelope's {@code error.code}. Codes are a public promise:
 * they are only ever added, never renamed or reused.
 */
public enum ErrorCode {
  // --- malformed or oversize input (400) -------------------------------------------------
  /** The body is not well-formed JSON. */
  MALFORMED_JSON(400),
  /** An object has the same key twice. */
  DUPLICATE_KEY(400),
  /** The bytes are not valid UTF-8, or a string holds a lone surrogate. */
  INVALID_UTF8(400),
  /** Arrays and objects are nested deeper than the configured limit. */
  NESTING_TOO_DEEP(400),
  /** The document or request body is larger than the configured limit. */
  BODY_TOO_LARGE(400),
  /** A number is not finite ({@code NaN}, {@code Infinity}) or has no IEEE-754 double value. */
  INVALID_NUMBER(400),
  /** Bytes follow the end of the JSON document. */
  TRAILING_DATA(400),
  /** A required field is absent. */
  MISSING_FIELD(400),
  /** A field has the wrong JSON type. */
  WRONG_TYPE(400),
  /** A numeric field lies outside its range (for example negative or above 2^64-1). */
  FIELD_OUT_OF_RANGE(400),
  /** An identifier (node, run, task, dag) is empty, too long or holds forbidden characters. */
  INVALID_ID(400),
  /** Latitude, longitude or country in a heartbeat are out of range. */
  INVALID_GEO(400),
  /** A body carries a field under both its name and its alias (for example {@code timestamp_unix} and {@code ts}). */
  DUPLICATE_FIELD(400),
  /** A string or JSON value is larger than its bound (a task id, a DAG's params, the whole canonical DAG spec). */
  VALUE_TOO_LARGE(400),

  // --- proofs and signatures (422) ---------------------------------------------------------
  /** A hex field holds characters other than lowercase or uppercase hex digits, or an odd count. */
  MALFORMED_HEX(422),
  /** A hex field decodes to the wrong number of bytes. */
  WRONG_LENGTH(422),
  /** {@code proof_hash} is not the SHA-256 of the rebuilt payload bytes. */
  HASH_MISMATCH(422),
  /** The Ed25519 signature does not verify. */
  BAD_SIGNATURE(422),
  /** The public key is not a canonical, non-small-order Ed25519 point. */
  INVALID_PUBLIC_KEY(422),
  /** A signature is required by the verification policy but absent. */
  MISSING_SIGNATURE(422),
  /** The proof was seen before within the replay window. */
  REPLAYED_PROOF(422),
  /** The proof's timestamp lies outside the verifier's accepted window. */
  TIMESTAMP_OUT_OF_WINDOW(422),
  /** The proof's public key differs from the key the node registered by heartbeat. */
  KEY_MISMATCH(422),
  /** The reported work units differ from the leased task's or job's. */
  WORK_UNITS_MISMATCH(422),
  /** A secret key is malformed (wrong length or encoding). */
  INVALID_SECRET_KEY(422),

  // --- DAG specs (422) -----------------------------------------------------------------------
  /** The DAG has no tasks. */
  EMPTY_DAG(422),
  /** Two tasks share one task id. */
  DUPLICATE_TASK_ID(422),
  /** An edge names a task that is not in the DAG. */
  UNKNOWN_EDGE_TASK(422),
  /** An edge goes from a task to itself. */
  SELF_LOOP(422),
  /** The same edge is listed twice. */
  DUPLICATE_EDGE(422),
  /** The dependencies form a cycle. */
  CYCLE(422),
  /** The DAG has more tasks than the configured limit. */
  TOO_MANY_TASKS(422),
  /** The DAG has more edges than the configured limit. */
  TOO_MANY_EDGES(422),

  // --- the verifiable ledger of accepted proofs (422) -----------------------------------------
  /** A signed note, a checkpoint or a note verifier key is not well-formed. */
  MALFORMED_NOTE(422),
  /** A ledger entry line is not exactly the canonical bytes of the entry it parses to. */
  NON_CANONICAL_ENTRY(422),
  /** An inclusion proof does not lead from the leaf to the tree's root. */
  INCLUSION_FAILED(422),
  /** A consistency proof does not show that the first tree is a prefix of the second. */
  CONSISTENCY_FAILED(422),
  /** The root recomputed from a ledger's entries is not the checkpoint's root. */
  ROOT_MISMATCH(422),

  // --- unknown resources (404) and routing -----------------------------------------------------
  /** No endpoint answers at this path. */
  NOT_FOUND(404),
  /** The endpoint exists but not for this HTTP method. */
  METHOD_NOT_ALLOWED(405),
  /** No DAG has this id. */
  UNKNOWN_DAG(404),
  /** No run has this id. */
  UNKNOWN_RUN(404),
  /** The run has no task with this id. */
  UNKNOWN_TASK(404),
  /** No job has this id. */
  UNKNOWN_JOB(404),
  /** The node never sent a heartbeat to this coordinator's directory, so it has no key to verify against. */
  UNKNOWN_NODE(404),
  /** The proof names a {@code miner_id} that has no pinned key to verify against. */
  UNKNOWN_MINER(404),
  /** The ledger entry is older than the store's retention: its leaf is no longer kept, its tree hashes are. */
  ENTRY_FORGOTTEN(410),

  // --- lease and ownership conflicts (409) -------------------------------------------------------
  /** The lease is held by another node. */
  NOT_OWNER(409),
  /** The presented lease epoch is not the current one: the task was granted again since. */
  STALE_LEASE(409),
  /** The lease has expired and can no longer be renewed. */
  LEASE_EXPIRED(409),
  /** The task is not leased to anyone (pending, ready or failed). */
  TASK_NOT_RUNNING(409),
  /** The task is already completed with a different proof. */
  ALREADY_COMPLETED(409),
  /** The run has completed or failed; it takes no more grants or proofs. */
  RUN_FINISHED(409),
  /** The store holds as many live runs (of this DAG, or in all) as its bound allows. */
  TOO_MANY_RUNS(409),
  /** The run still has tasks that can run; only finished runs are deleted. */
  RUN_NOT_FINISHED(409),

  // --- HTTP framing, answered by a transport before the coordinator sees the request ------------
  /** The request line, a header, the target or the chunked framing is not valid HTTP/1.1. */
  MALFORMED_REQUEST(400),
  /** The request head did not arrive within the header timeout, or the body fell below the minimum rate. */
  REQUEST_TIMEOUT(408),
  /** The request line is longer than the limit. */
  URI_TOO_LONG(414),
  /** The header section is larger than the limit, or has more fields than the limit. */
  HEADER_TOO_LARGE(431),
  /** The request's {@code Content-Encoding} is not {@code identity}. */
  UNSUPPORTED_CONTENT_ENCODING(415),
  /** The request's {@code Expect} is not {@code 100-continue}. */
  EXPECTATION_FAILED(417),
  /** The request's {@code Transfer-Encoding} ends in {@code chunked} but names other codings too. */
  UNSUPPORTED_TRANSFER_ENCODING(501),
  /** The method is not a standard HTTP method. */
  UNSUPPORTED_METHOD(501),
  /** The request is neither HTTP/1.0 nor HTTP/1.1. */
  HTTP_VERSION_NOT_SUPPORTED(505),

  // --- the coordinator itself (5xx) --------------------------------------------------------------
  /** The lease store cannot be reached or failed; nothing was applied. */
  STORE_UNAVAILABLE(503),
  /** The coordinator has no capacity for the request right now (or is shutting down); retry later. */
  OVERLOADED(503),
  /** The node directory holds as many node ids of this kind as its bound allows; retry later. */
  DIRECTORY_FULL(503),
  /** A store holds as much DAG, run or ledger state as its bounds allow, and none of it can be let go. */
  STORE_FULL(503),
  /** An unexpected failure inside the coordinator; nothing was applied. */
  INTERNAL(500);

  private final int httpStatus;
  private final String wireName;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
    this.wireName = name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status a coordinator answers with for this code. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code as written on the wire: the constant's name in lowercase. */
  public String wireName() {
    return wireName;
  }
}
