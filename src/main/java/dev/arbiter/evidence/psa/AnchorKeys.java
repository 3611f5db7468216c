// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import dev.arbiter.crypto.PublicKeys;
import dev.arbiter.crypto.PublicKeys.TrustedKey;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.cose.CoseSign1;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verifies a PSA token or CCA platform token under trust-anchor keys: the scheme's configured keys
 * plus those supplied with the evidence ({@code --key}). A key labelled with {@code instance-id}
 * (or {@code implementation-id}) in a Veraison-style store is used only for that instance
 * (implementation); unlabelled keys apply to any. Returns the problem, if any. Thread-safe.
 */
public final class AnchorKeys {
  private final List<TrustedKey> configured;

  public AnchorKeys(List<TrustedKey> configured) {
    this.configured = List.copyOf(configured);
  }

  /**
   * Empty when some applicable key verifies {@code token}; otherwise the problem: {@code
   * key-malformed} (a supplied key file cannot be parsed), {@code certificate-missing} (no key at
   * all), {@code certificate-chain-invalid} (keys exist, none for this instance) or {@code
   * signature-invalid}.
   */
  public Optional<Problem> verify(
      CoseSign1 token,
      EvidenceInput input,
      byte[] instanceId,
      byte[] implementationId,
      String what) {
    List<TrustedKey> keys = new ArrayList<>(configured);
    try {
      keys.addAll(PublicKeys.parseAll(input.keys()));
    } catch (GeneralSecurityException e) {
      return Optional.of(
          Problem.of(
              EvidenceProblem.KEY_MALFORMED, "supplied key cannot be used: " + e.getMessage()));
    }
    if (keys.isEmpty()) {
      return Optional.of(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MISSING,
              "no verification key for the " + what + " (supply --key)"));
    }
    List<TrustedKey> applicable =
        keys.stream()
            .filter(k ->
                labelAllows(k, "instance-id", instanceId)
                    && labelAllows(k, "implementation-id", implementationId))
            .toList();
    if (applicable.isEmpty()) {
      return Optional.of(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "no trust anchor for instance-id "
                  + Hex.encode(instanceId)
                  + " among "
                  + keys.size()
                  + " keys"));
    }
    for (TrustedKey key : applicable) {
      if (token.verify(key.key())) {
        return Optional.empty();
      }
    }
    return Optional.of(
        Problem.of(
            EvidenceProblem.SIGNATURE_INVALID,
            what
                + " signature ("
                + token.algorithm()
                + ") does not verify under any of "
                + applicable.size()
                + " applicable keys"));
  }

  private static boolean labelAllows(TrustedKey key, String label, byte[] value) {
    Optional<String> expected = key.attribute(label);
    return expected.isEmpty() || expected.get().toLowerCase(Locale.ROOT).equals(Hex.encode(value));
  }
}
