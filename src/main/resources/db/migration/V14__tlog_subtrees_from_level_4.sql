-- SPDX-License-Identifier: Apache-2.0
-- Perfect subtrees of fewer than 16 leaves (levels 1-3) are no longer stored: dev.arbiter.tlog.LogStore
-- hashes them from at most 8 leaf hashes when a root or proof needs one, so the writer stores one
-- subtree row per 8 leaves instead of one per leaf (most of the log's rows after the leaves). The
-- rows written before are not read any more: removed, and the level check states the rule.
-- Replicas running older code read those levels: stop them before this migration runs (their
-- appends would fail and be retried until they are upgraded).
delete from tlog_subtree where level < 4;
alter table tlog_subtree drop constraint tlog_subtree_level_check;
alter table tlog_subtree add constraint tlog_subtree_level_check check (level between 4 and 62);
