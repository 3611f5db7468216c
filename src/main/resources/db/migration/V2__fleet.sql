-- SPDX-License-Identifier: Apache-2.0
-- Fleet tracking: every appraisal outcome (written asynchronously in batches, never on the
-- appraisal hot path) and the latest state per instance; replica heartbeats.

create table attestation_event (
  id               bigserial primary key,
  at               timestamptz not null,
  workload         text not null,
  instance_id      text not null,
  format           text not null,
  version          text,              -- matched version (null when none matched)
  status           text not null,     -- affirming | warning | failed
  reason           text,              -- problem type slug for failures
  policy_revision  text               -- revision hash the appraisal used
);
create index attestation_event_workload_at on attestation_event (workload, at);
create index attestation_event_workload_version_at on attestation_event (workload, version, at);

create table fleet_instance (
  workload         text not null,
  instance_id      text not null,
  version          text,
  format           text not null,
  status           text not null,
  reason           text,
  last_seen        timestamptz not null,
  first_seen       timestamptz not null,
  primary key (workload, instance_id)
);
create index fleet_instance_workload_last_seen on fleet_instance (workload, last_seen);

-- Each running replica reports which policy revision it serves per workload.
create table replica_heartbeat (
  replica_id   text primary key,
  started_at   timestamptz not null,
  seen_at      timestamptz not null,
  revisions    text not null default '{}'   -- JSON: workload -> revision hash served
);
