-- SPDX-License-Identifier: Apache-2.0
-- No planner statistics for the log's leaf bodies. Nothing filters or sorts on tlog_leaf.body (leaves
-- are found by index, jti or workload), yet every automatic ANALYZE of this fast-growing table
-- sampled up to 30,000 bodies, detoasted them and sorted them as text: a profile of the embedded
-- PostgreSQL under attestation load put an autovacuum worker doing that at a third of the
-- database's CPU (docs/benchmarks.md, "Decision log cost", session 7).
alter table tlog_leaf alter column body set statistics 0;
