-- SPDX-License-Identifier: Apache-2.0
-- Imported collateral (Intel TCB Info / QE Identity / CRLs, NVIDIA RIMs, ...), checked on import.
create table collateral (
  id           bigserial primary key,
  format       text not null,            -- the scheme that recognized and checked it
  kind         text not null,            -- tcb-info, qe-identity, crl, rim, ...
  key          text not null,            -- what it is about (fmspc:..., crl:<issuer>, rim:<name>)
  name         text not null,
  sha256       text not null,
  content      bytea not null,
  next_update  timestamptz,
  imported_at  timestamptz not null,
  imported_by  text not null
);
create unique index collateral_format_sha on collateral (format, sha256);
