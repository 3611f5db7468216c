-- SPDX-License-Identifier: Apache-2.0
-- Foundation: workloads, immutable versions, hash-chained signed policy revisions, audit log.

create table service_key (
  key_id      text primary key,           -- RFC 7638 JWK thumbprint (base64url)
  public_jwk  text not null,              -- the public key as a JWK (JSON text)
  created_at  timestamptz not null,
  retired_at  timestamptz
);

create table workload (
  name        text primary key,
  owner       text not null,
  objectives  text not null default '{}', -- control objectives JSON (JCS form)
  created_at  timestamptz not null,
  created_by  text not null
);

-- Versions are immutable: content is the JCS form of reference values, configuration digests,
-- artifact digest, provenance and SBOM slots; content_hash = hex SHA-256 of content.
create table version (
  workload      text not null references workload(name),
  label         text not null,
  content       text not null,
  content_hash  text not null,
  created_at    timestamptz not null,
  created_by    text not null,
  primary key (workload, label)
);

-- Status is metadata, not content: whether a version was revoked (and so may not be restored
-- by a rollback without force).
create table version_status (
  workload        text not null,
  label           text not null,
  revoked         boolean not null default false,
  revoked_at      timestamptz,
  revoked_reason  text,
  primary key (workload, label),
  foreign key (workload, label) references version(workload, label)
);

-- Append-only, per-workload hash chain. body is the JCS form of
-- {workload, seq, prev, accepted, appraisal, endorsements, created_at, principal, reason};
-- hash = hex SHA-256(body); signature = ES256 (base64url r||s) by the service key over the 32 hash bytes.
create table policy_revision (
  workload   text not null references workload(name),
  seq        bigint not null,
  hash       text not null unique,
  prev       text,
  body       text not null,
  key_id     text not null references service_key(key_id),
  signature  text not null,
  primary key (workload, seq)
);

-- Global, append-only hash chain of every state change; written in the change's transaction.
create table audit_record (
  seq        bigint primary key,
  hash       text not null unique,
  prev       text,
  body       text not null,
  key_id     text not null references service_key(key_id),
  signature  text not null
);
