-- SPDX-License-Identifier: Apache-2.0
-- Retention of attestation decisions (dev.arbiter.retention, issue 12 item 5).

-- Per workload: how long its decision records are kept. null: the server-wide default below;
-- 'forever' or an ISO-8601 duration of at least one day (e.g. 'P90D'). Set with
-- workload.set-retention (audited).
alter table workload add column decision_retention text;

-- The server-wide default (one row at most; no row: keep forever). Set with
-- decisions.set-default-retention (audited). In the database so every replica prunes alike.
create table decision_retention_default (
  id          smallint primary key check (id = 1),
  decisions   text not null,
  updated_at  timestamptz not null,
  updated_by  text not null
);

-- A pruned decision leaf keeps leaf_index, leaf_hash and kind (so every subtree, checkpoint and
-- proof still verifies) and loses its body and jti; pruned_by is the seq of the decisions.prune
-- audit record that pruned it (that record commits to the count, leaf range and a digest of the
-- pruned leaves, which audit verify recomputes). Only decision leaves may be pruned.
alter table tlog_leaf alter column body drop not null;
alter table tlog_leaf add column pruned_by bigint;
alter table tlog_leaf add constraint tlog_leaf_pruned_body
  check ((body is null) = (pruned_by is not null) and (body is not null or kind = 'decision'));
create index tlog_leaf_pruned_by on tlog_leaf (pruned_by) where pruned_by is not null;
