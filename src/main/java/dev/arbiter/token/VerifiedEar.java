// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verified Attestation Result, normalized across EAR profiles (ear#03 and Veraison naming).
 *
 * @param claims the full verified claims set (what release policies see as {@code ear})
 * @param cnf the key the result is bound to (RFC 7800), when present
 */
public record VerifiedEar(
    String profile,
    Instant issuedAt,
    Optional<Instant> expiresAt,
    Map<String, Object> verifierId,
    EarStatus status,
    Map<String, Appraisal> submods,
    Optional<JWK> cnf,
    Optional<String> nonce,
    String keyId,
    Map<String, Object> claims) {

  /** One submodule's appraisal, normalized. */
  public record Appraisal(
      EarStatus status,
      Map<String, Integer> vector,
      List<String> policyIds,
      Map<String, Object> claims) {}
}
