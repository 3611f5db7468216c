-- SPDX-License-Identifier: Apache-2.0
-- Periodic governance evidence exports (dev.arbiter.report.ExportSchedules): one schedule per
-- workload; the scheduler (any replica, FOR UPDATE SKIP LOCKED) writes a bundle when next_run_at
-- passes, audited as governance.export.
create table export_schedule (
  workload      text primary key references workload(name),
  every_s       bigint not null check (every_s > 0),
  directory     text not null,             -- relative to <data dir>/exports
  next_run_at   timestamptz not null,
  last_run_at   timestamptz,               -- end of the last exported range
  created_at    timestamptz not null,
  created_by    text not null
);
