// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.Macs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Cross-site request forgery defence for the console's state-changing POSTs: a synchronizer token
 * bound to the caller's client certificate (HMAC-SHA256 of its fingerprint under a server secret,
 * compared in constant time) and a same-origin check of the {@code Origin} header against the
 * request's {@code Host}. A forged form from another site has neither; a token copied from another
 * user's page does not match the attacker's certificate.
 */
public final class Csrf {
  /** The form field that carries the token. */
  public static final String FIELD = "csrf";

  private static final byte[] LABEL =
      "arbiter console csrf token v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;

  /**
   * @param secret a server secret shared by every replica (32 bytes or more); the token key is
   *     derived from it with a label, so the secret's other uses are not exposed
   */
  public Csrf(byte[] secret) {
    this.key = Macs.hmacSha256(secret, LABEL);
  }

  /** The token for {@code who}'s certificate. */
  public String token(Principal who) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            Macs.hmacSha256(key, who.fingerprint().getBytes(StandardCharsets.US_ASCII)));
  }

  /** Whether {@code presented} is {@code who}'s token (constant time). */
  public boolean valid(Principal who, Optional<String> presented) {
    if (presented.isEmpty()) {
      return false;
    }
    byte[] expected = token(who).getBytes(StandardCharsets.US_ASCII);
    byte[] given = presented.get().getBytes(StandardCharsets.UTF_8);
    return Digests.constantTimeEquals(expected, given);
  }

  /**
   * Whether the request came from a page of this server: {@code Origin} present and equal to {@code
   * https://<Host>} (scheme, host and port).
   */
  public static boolean sameOrigin(Optional<String> origin, Optional<String> host) {
    if (origin.isEmpty() || host.isEmpty() || host.get().isBlank()) {
      return false;
    }
    try {
      URI from = URI.create(origin.get().trim());
      URI self = URI.create("https://" + host.get().trim());
      return "https".equalsIgnoreCase(from.getScheme())
          && from.getHost() != null
          && from.getHost().equalsIgnoreCase(self.getHost())
          && port(from) == port(self)
          && (from.getPath() == null || from.getPath().isEmpty());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 443 : uri.getPort();
  }
}
