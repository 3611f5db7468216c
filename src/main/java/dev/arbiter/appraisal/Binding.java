// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.ExpectedBinding;
import java.util.Arrays;

/**
 * The key binding value per format (CONTRACTS.md "Freshness and key binding"): {@code B =
 * SHA-512(nonce || SHA-256 JWK thumbprint)} in SNP/TDX/SGX/sample report data and the CCA realm
 * challenge; SHA-256(B) as TPM extraData (also that of the vTPM quote in Azure CVM evidence); the
 * first 32 bytes of B as PSA and GPU nonces; for Nitro the nonce itself, with {@code public_key} =
 * the JWK's SPKI DER checked separately.
 */
public final class Binding {
  private Binding() {}

  /** B for a nonce and TEE key. */
  public static byte[] value(byte[] nonce, ECKey teeKey) {
    try {
      byte[] thumbprint = teeKey.computeThumbprint("SHA-256").decode();
      byte[] input = Arrays.copyOf(nonce, nonce.length + thumbprint.length);
      System.arraycopy(thumbprint, 0, input, nonce.length, thumbprint.length);
      return Digests.sha512(input);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot compute the JWK thumbprint", e);
    }
  }

  /** What the format's evidence must carry. */
  public static ExpectedBinding expected(String format, byte[] nonce, ECKey teeKey) {
    byte[] b = value(nonce, teeKey);
    return switch (format) {
      case "nitro" -> ExpectedBinding.exactly(nonce);
      case "tpm", "azure-snp-vtpm", "azure-tdx-vtpm" -> ExpectedBinding.exactly(Digests.sha256(b));
      case "psa", "nvidia-gpu" -> ExpectedBinding.exactly(Arrays.copyOf(b, 32));
      default -> ExpectedBinding.exactly(b);
    };
  }
}
