-- KASCompute coordinator stores, schema version 2 (PostgreSQL 13+): the node directory, plain
-- jobs and the record of accepted proofs beside the lease store of version 1.
-- Instants are bigint nanoseconds since 1970-01-01T00:00:00Z (UTC). Unit states (tasks and jobs)
-- are LeaseState codes: 0 PENDING, 1 READY, 2 RUNNING, 3 COMPLETED, 4 FAILED.
-- Text that comes from nodes or hosts is bytea in generalized UTF-8 (UTF-8, a lone surrogate as
-- the three bytes of its code unit), so that NUL and every other character round-trip exactly
-- and ids sort by code point.

-- Version 1 kept task ids and owners as text, which cannot hold NUL; rewrite them as bytea.
ALTER TABLE kc_task
  ALTER COLUMN task_id TYPE bytea USING convert_to(task_id, 'UTF8'),
  ALTER COLUMN owner TYPE bytea USING convert_to(owner, 'UTF8');

-- DAG ids are lowercase hex; list them in byte order whatever the database's collation.
CREATE INDEX kc_dag_order ON kc_dag (dag_id COLLATE "C");

-- Node directory ------------------------------------------------------------------------------

CREATE TABLE kc_node (
  node_id          bytea            PRIMARY KEY,
  public_key       bytea            NOT NULL,
  pinned_by        smallint,
  pinned_ns        bigint,
  first_seen_ns    bigint           NOT NULL,
  last_seen_ns     bigint           NOT NULL,
  last_node_ns     bigint,
  last_miner_ns    bigint,
  roles            bytea            NOT NULL,
  compute_profile  bytea,
  client_version   bytea            NOT NULL,
  has_geo          boolean          NOT NULL,
  geo_lat          double precision,
  geo_lon          double precision,
  geo_country      bytea
);

CREATE INDEX kc_node_unpinned ON kc_node (last_seen_ns) WHERE pinned_by IS NULL;
CREATE INDEX kc_node_seen ON kc_node (last_seen_ns);
CREATE INDEX kc_node_as_node ON kc_node (last_node_ns) WHERE last_node_ns IS NOT NULL;
CREATE INDEX kc_node_as_miner ON kc_node (last_miner_ns) WHERE last_miner_ns IS NOT NULL;

-- One row: how many ids hold a pinned key and how many only claim one. Every change of either
-- updates this row in the same transaction, so the bounds hold across coordinators.
CREATE TABLE kc_directory_count (
  id        smallint PRIMARY KEY CHECK (id = 1),
  pinned    bigint   NOT NULL,
  unpinned  bigint   NOT NULL
);
INSERT INTO kc_directory_count (id, pinned, unpinned) VALUES (1, 0, 0);

CREATE TABLE kc_node_rotation (
  node_id      bytea    NOT NULL REFERENCES kc_node (node_id) ON DELETE CASCADE,
  rotation_no  bigint   NOT NULL,
  old_key      bytea    NOT NULL,
  new_key      bytea    NOT NULL,
  made_by      smallint NOT NULL,
  signature    bytea,
  ts           bigint   NOT NULL,
  applied_ns   bigint   NOT NULL,
  PRIMARY KEY (node_id, rotation_no)
);

-- Plain jobs ----------------------------------------------------------------------------------

CREATE SEQUENCE kc_job_seq;
CREATE SEQUENCE kc_job_ready_seq;
CREATE SEQUENCE kc_job_change_seq;
CREATE SEQUENCE kc_job_finish_seq;

CREATE TABLE kc_job (
  job_id         bigint   PRIMARY KEY,
  work_units     bigint   NOT NULL,
  state          smallint NOT NULL,
  claimed        boolean  NOT NULL,
  owner          bytea,
  epoch          bigint   NOT NULL,
  granted_ns     bigint,
  lease_expires  bigint,
  ready_seq      bigint,
  ready_rank     bigint,
  completed_ns   bigint,
  proof_hash     bytea,
  finish_seq     bigint,
  created_ns     bigint   NOT NULL,
  changed_ns     bigint   NOT NULL,
  change_seq     bigint   NOT NULL
);

CREATE INDEX kc_job_ready ON kc_job (ready_seq, ready_rank, job_id) WHERE state = 1;
CREATE INDEX kc_job_running ON kc_job (lease_expires) WHERE state = 2;
CREATE INDEX kc_job_finished ON kc_job (finish_seq) WHERE finish_seq IS NOT NULL;
CREATE INDEX kc_job_recent ON kc_job (change_seq);

CREATE TABLE kc_job_count (
  shard      smallint PRIMARY KEY,
  pending    bigint   NOT NULL,
  running    bigint   NOT NULL,
  completed  bigint   NOT NULL,
  expired    bigint   NOT NULL
);
INSERT INTO kc_job_count (shard, pending, running, completed, expired)
  SELECT s, 0, 0, 0, 0 FROM generate_series(0, 7) AS s;

-- The record of accepted proofs ---------------------------------------------------------------

-- One row: the number of proofs ever recorded (the next seq) and of verified ones (the next
-- ledger index). Every completion updates it in its own transaction, so seq is gap-free and in
-- acceptance (commit) order across coordinators.
CREATE TABLE kc_proof_head (
  id        smallint PRIMARY KEY CHECK (id = 1),
  size      bigint   NOT NULL,
  verified  bigint   NOT NULL
);
INSERT INTO kc_proof_head (id, size, verified) VALUES (1, 0, 0);

CREATE TABLE kc_proof (
  seq             bigint   PRIMARY KEY,
  ledger_index    bigint,
  proof_hash      bytea    NOT NULL UNIQUE,
  kind            smallint NOT NULL,
  node_id         bytea    NOT NULL,
  miner_id        bytea,
  job_id          bigint,
  run_id          bytea,
  task_id         bytea,
  task_hash       bytea,
  work_units      bigint   NOT NULL,
  workload_mode   bytea,
  elapsed_ms      bigint   NOT NULL,
  client_version  bytea    NOT NULL,
  ts              bigint   NOT NULL,
  scheme          smallint,
  signature       bytea,
  public_key      bytea,
  lease_epoch     bigint   NOT NULL,
  assigned_ns     bigint,
  accepted_ns     bigint   NOT NULL,
  coordinator     bytea    NOT NULL
);

-- Totals per second of acceptance and shard, for the metrics window; each completion adds to
-- one shard of its second, chosen at random, so concurrent completions rarely wait for each other.
CREATE TABLE kc_proof_second (
  second      bigint   NOT NULL,
  shard       smallint NOT NULL,
  jobs        bigint   NOT NULL,
  job_ms      bigint   NOT NULL,
  tasks       bigint   NOT NULL,
  work_units  numeric  NOT NULL,
  verified    bigint   NOT NULL,
  PRIMARY KEY (second, shard)
);
