// SPDX-License-Identifier: Apache-2.0
/**
 * Attestation results as EAR JWTs (draft-ietf-rats-ear): {@link dev.arbiter.token.EarSigner} issues
 * them (ES256 by the service key, the TEE key in {@code cnf}, a unique {@code jti}, a short {@code
 * exp}, reported back in a {@link dev.arbiter.token.SignedEar}), {@link
 * dev.arbiter.token.EarVerifier} checks them for relying parties and the key broker, and {@link
 * dev.arbiter.token.TrustVector} builds AR4SI trustworthiness vectors from named claims.
 *
 * <p><b>Invariants.</b> Every token's {@code iat}/{@code exp} come from an injected clock, in whole
 * seconds, and are exactly what {@code SignedEar} reports. A submodule's status is never more
 * trusting than its vector. Verification refuses with a typed {@link
 * dev.arbiter.token.TokenProblem}.
 *
 * <p><b>May depend on.</b> {@code crypto} (keys, JOSE signers), {@code problem}. No domain package.
 */
package dev.arbiter.token;
