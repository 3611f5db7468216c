-- SPDX-License-Identifier: Apache-2.0
-- Key broker: secrets at rest under envelope encryption (see dev/arbiter/keybroker/README.md).
-- Nothing in this table is readable without the master key (KeyProvider); values, data keys and
-- digests of values never appear in plaintext here or in the audit log.

create table secret (
  name            text primary key,
  workload        text not null references workload(name),  -- the only workload it is released to
  version         integer not null check (version >= 1),    -- 1 on put, +1 per rotation
  release_policy  text not null,                            -- CEL over the verified EAR
  allow_warning   boolean not null default false,           -- may EARs with status warning receive it
  key_id          text not null,                            -- KeyProvider key id that wrapped wrapped_key
  wrapped_key     bytea not null,                           -- AES-256 data key wrapped by the master key (AAD: name, version)
  iv              bytea not null,                           -- 12-byte AES-GCM IV of the value
  ciphertext      bytea not null,                           -- AES-256-GCM(value) || tag under the data key (AAD: name, version)
  created_at      timestamptz not null,
  created_by      text not null,
  updated_at      timestamptz not null,
  updated_by      text not null
);

create index secret_workload on secret(workload);
