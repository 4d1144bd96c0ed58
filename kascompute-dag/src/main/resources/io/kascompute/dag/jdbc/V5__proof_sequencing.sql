-- KASCompute coordinator stores, schema version 5 (PostgreSQL 13+): pending proofs and group
-- sequencing of the proof record (docs/spec/storage.md). A completion whose statement finds the
-- kc_proof_head row taken (SKIP LOCKED) records its proof pending, without a seq or ledger index,
-- and commits without waiting for it; a sequencing transaction then takes the kc_proof_head row,
-- gives every pending row it finds (in insertion order) the next seqs and, to the verified ones,
-- the next ledger indexes, and appends all their leaves to the log at once.

-- Pending rows have no seq yet; a seq, once given, is unique.
ALTER TABLE kc_proof DROP CONSTRAINT kc_proof_pkey;
ALTER TABLE kc_proof ALTER COLUMN seq DROP NOT NULL;
CREATE UNIQUE INDEX kc_proof_seq_key ON kc_proof (seq);

-- Insertion order of a pending row, from a sequence (not gap-free, not the record's order): the
-- order in which sequencing takes pending rows. Rows sequenced in place, and rows recorded before
-- this version, have none.
CREATE SEQUENCE kc_proof_pending_seq;
ALTER TABLE kc_proof ADD COLUMN pending bigint;

-- The ledger leaf (RFC 8785 entry object) of a pending verified proof, NULL for a pending proof
-- that is not verified and for every sequenced row: sequencing moves it into kc_ledger_leaf.
ALTER TABLE kc_proof ADD COLUMN pending_leaf bytea;

CREATE INDEX kc_proof_pending_key ON kc_proof (pending) WHERE seq IS NULL;
