-- KASCompute coordinator stores, schema version 4 (PostgreSQL 13+): key rotations are ledger
-- entries (docs/spec/ledger.md section 1.3). A rotation takes the next ledger index from the
-- kc_proof_head row, the counter the verified proofs of every coordinator take theirs from, and
-- appends its leaf in the transaction that applies it, so proofs and rotations share one log with
-- one sequence.

-- The counter hands out ledger indexes to proofs and rotations alike: it counts log entries.
ALTER TABLE kc_proof_head RENAME COLUMN verified TO entries;

-- The id of the coordinator that applied a rotation, which its ledger entry names. Rotations
-- applied before this version have no entry in the log and keep an empty coordinator.
ALTER TABLE kc_node_rotation ADD COLUMN coordinator bytea NOT NULL DEFAULT '\x'::bytea;
