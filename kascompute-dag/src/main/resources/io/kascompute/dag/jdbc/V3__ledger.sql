-- KASCompute coordinator stores, schema version 3 (PostgreSQL 13+): the verifiable ledger of
-- accepted proofs (docs/spec/ledger.md), one log for every coordinator on the database.
-- Entry i of the log is the verified proof with kc_proof.ledger_index = i. A completion that
-- records a verified proof appends its leaf, the subtree hashes the leaf completes and the new
-- compact range in the same transaction, after it took the kc_proof_head row, so appends of all
-- coordinators are serialized and the log has no gaps.

-- Version 2 handed out ledger indexes without a log behind them: the proofs recorded before this
-- version have none, and the log starts empty.
UPDATE kc_proof SET ledger_index = NULL WHERE ledger_index IS NOT NULL;
UPDATE kc_proof_head SET verified = 0;

-- The compact range (right border) of the log: the size as 8 bytes big-endian, then the hashes
-- of the perfect subtrees that tile it, largest first (CompactRange.toBytes).
CREATE TABLE kc_ledger_head (
  id      smallint PRIMARY KEY CHECK (id = 1),
  size    bigint   NOT NULL,
  border  bytea    NOT NULL
);
INSERT INTO kc_ledger_head (id, size, border) VALUES (1, 0, '\x0000000000000000'::bytea);

-- Every perfect subtree hash: the leaf hash at level 0 and each completed subtree above (about
-- two rows per entry); never deleted, so proofs and roots of every size stay answerable.
CREATE TABLE kc_ledger_subtree (
  level  smallint NOT NULL,
  idx    bigint   NOT NULL,
  hash   bytea    NOT NULL,
  PRIMARY KEY (level, idx)
);

-- The leaf bytes (RFC 8785 entry objects) of the newest entries, pruned with the proof record's
-- retention.
CREATE TABLE kc_ledger_leaf (
  idx   bigint PRIMARY KEY,
  leaf  bytea  NOT NULL
);
