-- SPDX-License-Identifier: Apache-2.0
-- The workload of a decision leaf as a plain column, written by the log writer's COPY with the leaf,
-- replacing V9's expression index (which parsed every decision body as jsonb on insert: the
-- largest share of PostgreSQL's cost per decision). A derived copy of the body's "workload" for the
-- console's search and retention's selection only: queries that return bodies re-check the body,
-- audit verify reports a column that differs from its body, and a prune clears it with the body.
alter table tlog_leaf add column workload text;
update tlog_leaf set workload = body::jsonb -> 'body' ->> 'workload'
  where kind = 'decision' and body is not null;
drop index tlog_leaf_decision_workload;
create index tlog_leaf_decision_workload on tlog_leaf (workload, leaf_index desc)
  where kind = 'decision';
