// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed EAR and the claims callers repeat elsewhere, so that they cannot drift from the token.
 *
 * @param token the compact JWS
 * @param jti the token's unique id ({@code jti})
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 */
public record SignedEar(String token, String jti, Instant issuedAt, Instant expiresAt) {
  public SignedEar {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
