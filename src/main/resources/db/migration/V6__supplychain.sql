-- SPDX-License-Identifier: Apache-2.0
-- Supply chain (see dev/arbiter/supplychain/README.md): per-workload supply-chain policies, the raw
-- provenance and SBOM documents versions refer to (by digest, from the version's immutable content),
-- OSV advisories (so every replica and restart keeps them) and the findings of re-scans.

create table supply_chain_policy (
  workload    text primary key references workload(name),
  body        text not null,            -- normalized policy (JCS form)
  updated_at  timestamptz not null,
  updated_by  text not null
);

-- Content-addressed: digest = 'sha256:' || hex SHA-256(body). Versions name these digests.
create table supply_chain_document (
  digest      text primary key,
  kind        text not null,            -- provenance | sbom
  body        bytea not null,
  created_at  timestamptz not null
);

create table advisory_import (
  seq         bigserial primary key,
  at          timestamptz not null,
  principal   text not null,
  source      text,
  records     integer not null,
  stored      integer not null,
  withdrawn   integer not null,
  skipped     integer not null
);

-- One row per OSV id: the newest copy (by modified) as imported, withdrawn ones included so that
-- replicas drop them too.
create table advisory (
  id          text primary key,
  modified    timestamptz not null,
  withdrawn   boolean not null,
  body        text not null,            -- the OSV record (JSON)
  import_seq  bigint not null references advisory_import(seq)
);
create index advisory_import_seq on advisory (import_seq);

-- Components of a version's SBOM matched by an advisory (registration scan or re-scan on import).
create table version_finding (
  workload           text not null,
  version            text not null,
  osv_id             text not null,
  purl               text not null,
  component_version  text not null default '',
  severity           text not null,      -- NONE LOW MEDIUM HIGH CRITICAL UNKNOWN
  score              double precision,   -- CVSS base score when computed
  aliases            text not null default '[]',
  found_at           timestamptz not null,
  primary key (workload, version, osv_id, purl, component_version),
  foreign key (workload, version) references version(workload, label)
);
