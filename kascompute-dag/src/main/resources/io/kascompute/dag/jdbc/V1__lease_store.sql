-- KASCompute lease store, schema version 1 (PostgreSQL 13+).
-- Instants are stored as bigint nanoseconds since 1970-01-01T00:00:00Z (UTC).
-- Task states: 0 PENDING, 1 READY, 2 RUNNING, 3 COMPLETED, 4 FAILED.

CREATE TABLE kc_dag (
  dag_id      text    PRIMARY KEY,
  name        text    NOT NULL,
  task_count  integer NOT NULL,
  edge_count  integer NOT NULL,
  definition  bytea   NOT NULL
);

CREATE TABLE kc_dag_edge (
  dag_id      text    NOT NULL REFERENCES kc_dag (dag_id),
  from_index  integer NOT NULL,
  to_index    integer NOT NULL,
  PRIMARY KEY (dag_id, from_index, to_index)
);

CREATE SEQUENCE kc_run_seq;
CREATE SEQUENCE kc_ready_seq;

CREATE TABLE kc_run (
  run_id      text    PRIMARY KEY,
  run_seq     bigint  NOT NULL UNIQUE,
  dag_id      text    NOT NULL REFERENCES kc_dag (dag_id),
  created_ns  bigint  NOT NULL,
  tasks_total integer NOT NULL
);

CREATE TABLE kc_run_count (
  run_id      text     NOT NULL REFERENCES kc_run (run_id),
  shard       smallint NOT NULL,
  pending     integer  NOT NULL,
  ready       integer  NOT NULL,
  running     integer  NOT NULL,
  completed   integer  NOT NULL,
  failed      integer  NOT NULL,
  PRIMARY KEY (run_id, shard)
);

CREATE TABLE kc_task (
  run_id          text     NOT NULL REFERENCES kc_run (run_id),
  task_index      integer  NOT NULL,
  task_id         text     NOT NULL,
  state           smallint NOT NULL,
  epoch           bigint   NOT NULL,
  owner           text,
  claimed         boolean  NOT NULL,
  lease_expires   bigint,
  attempts        integer  NOT NULL,
  remaining_deps  integer  NOT NULL,
  ready_seq       bigint,
  ready_rank      integer,
  proof_hash      bytea,
  unlocked        integer[],
  PRIMARY KEY (run_id, task_index)
);

CREATE INDEX kc_task_ready ON kc_task (run_id, ready_seq, ready_rank) WHERE state = 1;
CREATE INDEX kc_task_running ON kc_task (run_id, lease_expires) WHERE state = 2;
