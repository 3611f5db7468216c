// SPDX-License-Identifier: Apache-2.0
/**
 * Who may call Arbiter: the local CA issuing client certificates, the role map ({@code roles.json},
 * reloaded without restart), principals and roles, TLS contexts, the data-directory layout and the
 * client configuration the CLI reads.
 *
 * <p>Invariants: a principal is a certificate issued by the data directory's CA, mapped to exactly
 * one role by its fingerprint; private keys are written mode 600. A low layer: it may depend on
 * {@code crypto} and {@code internal} only. Audit records name principals, so {@code governance}
 * depends on it, never the reverse.
 */
package dev.arbiter.auth;
