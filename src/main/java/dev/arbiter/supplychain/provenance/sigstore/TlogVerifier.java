// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import dev.arbiter.crypto.KeySignatures;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.tlog.Merkle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies a Rekor entry offline against the trusted root: the signed entry timestamp (SET) over
 * {@code {"body","integratedTime","logID","logIndex"}}, and the RFC 9162 inclusion proof with its
 * signed checkpoint. Every piece the entry carries must verify; what the bundle version requires
 * (SET for v0.1, proof for v0.2+) must be present. Thread-safe.
 */
final class TlogVerifier {
  private TlogVerifier() {}

  /**
   * Verifies the entry; returns the integrated time when a SET vouches for it (an inclusion proof
   * alone does not authenticate the time).
   *
   * @throws ProblemException {@code PROVENANCE_TLOG_ENTRY_INVALID} or {@code _MISSING}
   */
  static Optional<Instant> verify(TlogEntry entry, Bundle.Version version, TrustedRoot root) {
    TrustedRoot.Log log =
        root.tlog(entry.logId())
            .orElseThrow(() ->
                invalid(
                    entry,
                    "log id " + Hex.encode(entry.logId()) + " is not a trusted transparency log"));
    Instant integrated = Instant.ofEpochSecond(entry.integratedTime());
    if (!log.validAt(integrated)) {
      throw invalid(entry, "the log key is not valid at the integrated time " + integrated);
    }
    if (entry.signedEntryTimestamp() == null && version == Bundle.Version.V01) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING,
          "bundle v0.1 entry " + entry.logIndex() + " has no signed entry timestamp");
    }
    if (entry.proof() == null && version != Bundle.Version.V01) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING,
          "bundle " + version + " entry " + entry.logIndex() + " has no inclusion proof");
    }
    boolean timeVerified = false;
    if (entry.signedEntryTimestamp() != null) {
      String payload =
          "{\"body\":\""
              + entry.bodyText()
              + "\",\"integratedTime\":"
              + entry.integratedTime()
              + ",\"logID\":\""
              + Hex.encode(entry.logId())
              + "\",\"logIndex\":"
              + entry.logIndex()
              + "}";
      if (!isBase64Text(entry.bodyText())
          || !KeySignatures.verify(
              log.key(), payload.getBytes(StandardCharsets.UTF_8), entry.signedEntryTimestamp())) {
        throw invalid(entry, "signed entry timestamp does not verify under the log key");
      }
      timeVerified = true;
    }
    if (entry.proof() != null) {
      TlogEntry.InclusionProof proof = entry.proof();
      if (!Merkle.verifyInclusion(
          proof.logIndex(),
          proof.treeSize(),
          Merkle.leafHash(entry.body()),
          proof.hashes(),
          proof.rootHash())) {
        throw invalid(entry, "inclusion proof does not lead to the root hash");
      }
      if (proof.checkpoint() == null) {
        if (version != Bundle.Version.V01) {
          throw new ProblemException(
              ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING, "inclusion proof has no checkpoint");
        }
      } else {
        String reason =
            Checkpoint.check(
                proof.checkpoint(), log.key(), log.logId(), proof.treeSize(), proof.rootHash());
        if (reason != null) {
          throw invalid(entry, reason);
        }
      }
    }
    return timeVerified ? Optional.of(integrated) : Optional.empty();
  }

  private static ProblemException invalid(TlogEntry entry, String detail) {
    return new ProblemException(
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID,
        "tlog entry " + entry.logIndex() + ": " + detail);
  }

  /** The body text is embedded in JSON unescaped, so it must be plain base64 characters. */
  private static boolean isBase64Text(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '=';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
