// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.core;

/**
 * Who signed the provenance.
 *
 * @param kind {@code "key"} (a configured key) or {@code "certificate"} (a Fulcio certificate)
 * @param keyId for keys: the signature's key hint, else the key's id, else the hex SHA-256 of its
 *     SPKI; for certificates: the hex SHA-256 of the leaf certificate
 * @param identity the certificate's subject alternative name (URI or e-mail), null for keys
 * @param issuer the certificate's OIDC issuer extension, null for keys
 * @param identityChecked true when an identity or issuer requirement was checked (whether it
 *     matched or not: a mismatch is a problem of the result); false for keys and under {@code
 *     --insecure-ignore-identity} without requirements
 */
public record Signer(
    String kind, String keyId, String identity, String issuer, boolean identityChecked) {
  public static final String KEY = "key";
  public static final String CERTIFICATE = "certificate";

  public static Signer key(String keyId) {
    return new Signer(KEY, keyId, null, null, false);
  }
}
