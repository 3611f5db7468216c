// SPDX-License-Identifier: Apache-2.0
/**
 * Governance evidence: the append-only, hash-chained and signed audit log ({@link
 * dev.arbiter.governance.AuditLog}), the chained-record format shared with policy revisions, the
 * published service keys and their rotation, and the integrity check that re-verifies every link
 * and signature from the rows.
 *
 * <p>Owns the tables {@code audit_record} and {@code service_key} (SQL only in {@code AuditStore}
 * and {@code ServiceKeyStore}); reads {@code policy_revision} rows raw for the integrity check.
 * Invariants: an audit record is appended in the caller's transaction ({@link
 * dev.arbiter.store.Tx}), so a change and its record commit together; appends are serialized by an
 * advisory lock, so the chain never forks; a retired key stays published so what it signed still
 * verifies.
 *
 * <p>May depend on {@code auth} (principals, data-directory layout), {@code store}, {@code crypto},
 * {@code internal}. Every domain that changes state depends on it; it depends on no domain.
 */
package dev.arbiter.governance;
