// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import dev.arbiter.crypto.KeySignatures;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import java.util.List;

/**
 * Verifies a DSSE envelope with configured keys: accepted when at least one signature verifies
 * under a configured key whose id the signature's hint can name. Signatures cover the PAE; only
 * where the container says so (Google Cloud Build regional keys) the raw payload is accepted too.
 */
public final class KeyedSignatures {
  private KeyedSignatures() {}

  /**
   * @return the signer
   * @throws ProblemException {@code PROVENANCE_NO_TRUSTED_KEY} when no key is configured or no key
   *     can match a hint, {@code PROVENANCE_SIGNATURE_INVALID} when no signature verifies
   */
  public static Signer verify(Envelope envelope, List<TrustedKey> keys, boolean rawPayloadAllowed) {
    if (keys.isEmpty()) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY,
          "the envelope is signed with a key and no key is configured (--key)");
    }
    if (envelope.signatures().isEmpty()) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID, "the envelope has no signatures");
    }
    byte[] pae = envelope.pae();
    boolean candidate = false;
    for (Envelope.DsseSignature signature : envelope.signatures()) {
      for (TrustedKey key : keys) {
        if (!key.matchesHint(signature.keyId())) {
          continue;
        }
        candidate = true;
        if (KeySignatures.verify(key.key(), pae, signature.sig())
            || (rawPayloadAllowed
                && KeySignatures.verify(key.key(), envelope.payload(), signature.sig()))) {
          return Signer.key(keyId(signature.keyId(), key));
        }
      }
    }
    if (!candidate) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY,
          "no configured key has the id the signatures name");
    }
    throw new ProblemException(
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID,
        "no envelope signature verifies under a configured key"
            + (rawPayloadAllowed ? " (PAE or raw payload)" : " (over the DSSE PAE)"));
  }

  static String keyId(String hint, TrustedKey key) {
    if (hint != null && !hint.isEmpty()) {
      return hint;
    }
    return key.id() != null ? key.id() : key.fingerprint();
  }
}
