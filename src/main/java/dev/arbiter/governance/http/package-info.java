// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP routes of the audit log ({@code AuditRoutes}): page through records, re-verify every
 * chain. A read-only transport over {@link dev.arbiter.governance.AuditLog} and {@link
 * dev.arbiter.governance.IntegrityCheck}. No SQL. May depend on {@code governance}, {@code http},
 * {@code store}; nothing depends on it but the server.
 */
package dev.arbiter.governance.http;
