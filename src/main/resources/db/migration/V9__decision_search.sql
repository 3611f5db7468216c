-- SPDX-License-Identifier: Apache-2.0
-- The console's decision search (tlog.LogStore.decisions): decision leaves by workload, newest
-- first, without scanning the whole log. Only the log writer pays for it (never the attest path).
create index tlog_leaf_decision_workload
  on tlog_leaf (((body::jsonb) -> 'body' ->> 'workload'), leaf_index desc)
  where kind = 'decision';
