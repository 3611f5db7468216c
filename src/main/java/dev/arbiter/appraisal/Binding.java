// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.evidence.SchemeDescriptor;

/**
 * The key binding value {@code B = SHA-512(nonce || SHA-256 JWK thumbprint)} (CONTRACTS.md
 * "Freshness and key binding"), for attesters and tests that produce evidence. Where B goes in a
 * format's evidence is its descriptor's {@link SchemeDescriptor.BindingRule}, the one place that
 * decides it.
 */
public final class Binding {
  private Binding() {}

  /** B for a nonce and TEE key (private or public). */
  public static byte[] value(byte[] nonce, ECKey teeKey) {
    try {
      byte[] thumbprint = teeKey.computeThumbprint("SHA-256").decode();
      return new SchemeDescriptor.KeyBinding(nonce, thumbprint, new byte[0]).b();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot compute the JWK thumbprint", e);
    }
  }
}
