/**
 * The verifiable ledger of accepted proofs, offline: RFC 9162 Merkle tree hashing with inclusion
 * and consistency proofs, the compact range an append keeps, the job, task and key-rotation
 * entries as RFC 8785 leaves, C2SP checkpoints in signed notes, and the streaming auditor of an
 * export. The byte-exact definitions are in {@code docs/spec/ledger.md}.
 */
package io.kascompute.crypto.ledger;
