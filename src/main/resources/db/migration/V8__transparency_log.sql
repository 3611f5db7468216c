-- SPDX-License-Identifier: Apache-2.0
-- Transparency log (dev.arbiter.tlog): an append-only RFC 9162 Merkle tree over every
-- integrity-relevant record, with signed checkpoints in the C2SP tlog-checkpoint format.
-- Only dev.arbiter.tlog.LogStore reads or writes these tables.

-- The single head row. Appenders lock it (select ... for update), so leaf indexes are dense and
-- gap-free even with several replicas sharing the database.
create table tlog_head (
  id          smallint primary key check (id = 1),
  tree_size   bigint not null check (tree_size >= 0),
  root_hash   bytea not null check (length(root_hash) = 32),
  updated_at  timestamptz not null
);
insert into tlog_head (id, tree_size, root_hash, updated_at)
values (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), now());

-- One row per leaf. body is the exact canonical (RFC 8785) JSON leaf text;
-- leaf_hash = SHA-256(0x00 || UTF-8(body)).
create table tlog_leaf (
  leaf_index  bigint primary key check (leaf_index >= 0),
  leaf_hash   bytea not null check (length(leaf_hash) = 32),
  kind        text not null,
  body        text not null,
  jti         text,                       -- EAR jti of a decision leaf, for lookup
  created_at  timestamptz not null
);
create index tlog_leaf_jti on tlog_leaf (jti) where jti is not null;

-- The hash of every perfect subtree of 2^level leaves (level >= 1; level 0 is tlog_leaf.leaf_hash),
-- covering leaves [idx * 2^level, (idx + 1) * 2^level), written when its last leaf is appended.
-- Any root, inclusion proof or consistency proof for any tree size is O(log n) of these.
create table tlog_subtree (
  level       smallint not null check (level between 1 and 62),
  idx         bigint not null check (idx >= 0),
  hash        bytea not null check (length(hash) = 32),
  primary key (level, idx)
);

-- Signed checkpoints (C2SP signed notes), one per tree size.
create table tlog_checkpoint (
  tree_size   bigint primary key check (tree_size >= 0),
  root_hash   bytea not null check (length(root_hash) = 32),
  note        text not null,
  created_at  timestamptz not null
);
