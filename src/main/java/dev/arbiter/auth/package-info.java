// SPDX-License-Identifier: Apache-2.0
/**
 * Who may call Arbiter: the local CA issuing client certificates, the role map ({@code roles.json},
 * reloaded without restart), principals and roles, TLS contexts, the data-directory layout and the
 * client configuration and named contexts the CLI reads, the lock one server holds on its data
 * directory, and the revoked certificates replicas share ({@code CertificateRevocations}: rows in
 * the database, a LISTEN/NOTIFY-refreshed in-memory set; the request path issues no SQL).
 *
 * <p>Invariants: a principal is a certificate issued by the data directory's CA, mapped to exactly
 * one role by its fingerprint, and not revoked; issuing a certificate for a name unmaps the name's
 * earlier certificates; private keys are written mode 600. It may depend on {@code crypto}, {@code
 * internal} and {@code store} (only {@code RevocationStore} sees Jdbi). Audit records name
 * principals, so {@code governance} depends on it, never the reverse; {@code auth.http} writes the
 * revocation's audit record in the revocation's transaction.
 */
package dev.arbiter.auth;
