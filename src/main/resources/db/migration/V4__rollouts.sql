-- SPDX-License-Identifier: Apache-2.0
-- Upgrade Governance: rollouts, their events, obligations (deadlines) and signed webhook deliveries.

create table rollout (
  id                bigserial primary key,
  workload          text not null references workload(name),
  from_versions     text not null,            -- JSON list: versions accepted when the rollout started
  to_version        text not null,
  state             text not null,            -- PLANNED STAGED ROLLING COMPLETED ROLLED_BACK REJECTED
  objective         text,                     -- control objective class that set the deadline, if any
  deadline          timestamptz,
  on_deadline       text not null default 'escalate',
  max_failure_rate  double precision not null,
  min_samples       integer not null,
  failure_window_s  integer not null,
  min_fleet_share   double precision not null,
  drain_s           bigint not null,
  webhook_url       text,
  staged_revision   text,                     -- revision that added to_version
  staged_live_at    timestamptz,              -- when every live replica served staged_revision
  share_reached_at  timestamptz,              -- when to_version first reached min_fleet_share
  final_revision    text,                     -- revision that removed the old (or the new) version
  deadline_fired_at timestamptz,
  created_at        timestamptz not null,
  created_by        text not null,
  reason            text not null,
  updated_at        timestamptz not null
);
create unique index rollout_one_active on rollout (workload) where state in ('PLANNED', 'STAGED', 'ROLLING');

create table rollout_event (
  id          bigserial primary key,
  rollout_id  bigint not null references rollout(id),
  at          timestamptz not null,
  from_state  text,
  to_state    text not null,
  revision    text,
  principal   text not null,
  reason      text not null,
  details     text not null default '{}'
);
create index rollout_event_rollout on rollout_event (rollout_id, id);

create table webhook_delivery (
  id               bigserial primary key,
  url              text not null,
  body             text not null,
  signature        text not null,     -- compact JWS (ES256, detached payload) over body
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null,
  delivered_at     timestamptz,
  last_error       text,
  created_at       timestamptz not null
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where delivered_at is null;

create table obligation (
  id           bigserial primary key,
  workload     text not null references workload(name),
  version      text,
  kind         text not null,          -- rollout-deadline | vulnerability
  class        text,                   -- control objective class (critical, ...)
  due_at       timestamptz not null,
  action       text not null,          -- revoke | escalate
  state        text not null,          -- open | met | breached
  rollout_id   bigint references rollout(id),
  details      text not null default '{}',
  created_at   timestamptz not null,
  resolved_at  timestamptz
);
create index obligation_open on obligation (state, due_at);
