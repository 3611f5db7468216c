-- SPDX-License-Identifier: Apache-2.0
-- Revoked client certificates (issue 13). Every replica keeps the set in memory (refreshed on
-- NOTIFY arbiter_certificates and by a periodic full read), so the TLS/route path issues no SQL.
create table client_certificate_revocation (
  fingerprint  text primary key,          -- SHA-256 of the DER certificate, lowercase hex
  name         text not null,             -- the principal name it was issued to
  role         text not null,
  serial       text,                      -- lowercase hex, null for certificates issued before 13
  revoked_at   timestamptz not null,
  revoked_by   text not null,
  reason       text not null
);
