// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP routes of client certificates ({@code CertificateRoutes}): list the certificates
 * roles.json maps, revoke one (audited; applies on every replica through {@link
 * dev.arbiter.auth.CertificateRevocations}). May depend on {@code auth}, {@code governance}, {@code
 * http}; nothing depends on it but the server.
 */
package dev.arbiter.auth.http;
