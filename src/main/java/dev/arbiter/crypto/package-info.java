// SPDX-License-Identifier: Apache-2.0
/**
 * The only package that touches JCA and Bouncy Castle: provider choice ({@link
 * dev.arbiter.crypto.Providers}, ACCP when it loads), signatures, digests, MACs, AES-GCM, chain
 * verification, CRLs, key parsing, certificate issuance, Ed25519 for checkpoints, and Arbiter's
 * signing key.
 *
 * <h2>The service key</h2>
 *
 * {@link dev.arbiter.crypto.ServiceKey} (EC P-256, ES256) signs policy revisions, audit records,
 * Attestation Results and webhooks. Where it lives is a {@link
 * dev.arbiter.crypto.ServiceKeySource}:
 *
 * <ul>
 *   <li>the data directory's {@code service-key.pem} (PKCS#8, mode 600; the default), signing with
 *       the JDK's or the fast provider;
 *   <li>a PKCS#11 token ({@code serve --service-key pkcs11:<config-file>[#<label>]}): {@code
 *       Pkcs11Keys} configures a SunPKCS11 provider instance from the configuration file (never
 *       installed globally), logs in with the PIN from {@code ARBITER_PKCS11_PIN}, and takes the
 *       private key and its certificate's public key by label. SunPKCS11 lists a private key only
 *       when a certificate with the same {@code CKA_ID} is in the token. The key is checked by
 *       signing a probe. Signatures are made in the token ({@code SHA256withECDSA}, DER converted
 *       to the 64-byte {@code r||s} of JWS); {@link dev.arbiter.crypto.ServiceKey#joseSigner()}
 *       gives Nimbus a signer on the token's provider. Failures are a {@link
 *       dev.arbiter.crypto.TokenException} with a one-line message that never contains the PIN.
 * </ul>
 *
 * <p>Either way the key must be the newest key of the pinned key ring ({@code governance.KeyRing});
 * verification never uses the private side. PKCS#11 login state is per process: once one provider
 * instance has logged in to a token, others in the same JVM share that login. Tests use SoftHSM2
 * ({@code dev.arbiter.testing.SoftHsm}).
 */
package dev.arbiter.crypto;
