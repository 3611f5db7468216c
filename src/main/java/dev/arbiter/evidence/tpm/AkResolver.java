// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.crypto.CrlChecker;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.problem.Problem;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the attestation keys a quote may be signed with. With an AK certificate ({@code --cert},
 * leaf first) the certificate must chain to a configured EK/AK CA and only its key is usable;
 * supplied keys must then be that same key. Without a certificate, the supplied keys are trusted as
 * given (the caller vouches for them).
 */
final class AkResolver {
  private AkResolver() {}

  /** Usable keys, AK claims and the problems found. */
  record Resolution(List<AkKeys.AkKey> keys, Map<String, Object> claims, List<Problem> problems) {}

  static Resolution resolve(
      EvidenceInput input,
      List<X509Certificate> anchors,
      ChainVerifier chains,
      VerificationContext context) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Object> claims = new LinkedHashMap<>();
    List<AkKeys.AkKey> supplied = new ArrayList<>();
    for (byte[] file : input.keys()) {
      try {
        supplied.addAll(AkKeys.parse(file));
      } catch (TpmFormatException e) {
        problems.add(Problem.of(EvidenceProblem.KEY_MALFORMED, "--key: " + e.getMessage()));
      }
    }
    for (AkKeys.AkKey key : supplied) {
      if (key.tpmt().isPresent() && !key.tpmt().get().restrictedSigning()) {
        problems.add(
            Problem.of(
                EvidenceProblem.KEY_MALFORMED,
                "the TPMT_PUBLIC is not a restricted signing key, so its signature does not prove a"
                    + " TPM quote"));
      }
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (byte[] file : input.certificates()) {
      try {
        chain.addAll(Certificates.parse(file));
      } catch (CertificateException e) {
        problems.add(
            Problem.of(EvidenceProblem.CERTIFICATE_MALFORMED, "--cert: " + e.getMessage()));
      }
    }
    if (chain.isEmpty()) {
      if (supplied.isEmpty() && problems.isEmpty()) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_MISSING,
                "no attestation key: supply --key (TPMT_PUBLIC, PEM or JWK) or an AK certificate"
                    + " chained to a configured CA"));
      }
      claims.put("source", "key");
      supplied.stream().findFirst().ifPresent(key -> describe(key, claims));
      return new Resolution(supplied, claims, problems);
    }
    X509Certificate leaf = chain.get(0);
    claims.put("source", "certificate");
    AkKeys.AkKey certKey = new AkKeys.AkKey(leaf.getPublicKey(), Optional.empty());
    for (AkKeys.AkKey key : supplied) {
      if (!Arrays.equals(key.key().getEncoded(), leaf.getPublicKey().getEncoded())) {
        problems.add(
            Problem.of(
                EvidenceProblem.KEY_BINDING_INVALID,
                "a supplied --key differs from the AK certificate's key"));
      } else {
        certKey = key;
      }
    }
    describe(certKey, claims);
    Map<String, Object> certificate = new LinkedHashMap<>();
    certificate.put("subject", leaf.getSubjectX500Principal().getName());
    certificate.put("issuer", leaf.getIssuerX500Principal().getName());
    certificate.put("serial", leaf.getSerialNumber().toString(16));
    certificate.put("not_after", leaf.getNotAfter().toInstant().toString());
    claims.put("certificate", certificate);
    if (anchors.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "no EK/AK CA certificate is configured for the tpm scheme, so an AK certificate"
                  + " cannot be trusted"));
      return new Resolution(List.of(), claims, problems);
    }
    switch (chains.verify(chain, anchors, context.now())) {
      case ChainVerifier.Result.Invalid invalid -> {
        problems.add(
            Problem.of(
                invalid.failure() == ChainVerifier.Failure.EXPIRED
                    ? EvidenceProblem.CERTIFICATE_EXPIRED
                    : EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                "AK certificate: " + invalid.detail()));
        return new Resolution(List.of(), claims, problems);
      }
      case ChainVerifier.Result.Valid valid ->
          checkRevocation(valid.path(), input, context, claims, problems);
    }
    return new Resolution(List.of(certKey), claims, problems);
  }

  private static void describe(AkKeys.AkKey key, Map<String, Object> claims) {
    claims.put("key_sha256", Digests.sha256(key.key().getEncoded()));
    key.tpmt().ifPresent(tpmt -> claims.put("name", tpmt.name()));
  }

  private static void checkRevocation(
      List<X509Certificate> path,
      EvidenceInput input,
      VerificationContext context,
      Map<String, Object> claims,
      List<Problem> problems) {
    List<X509CRL> crls = new ArrayList<>();
    for (EvidenceInput.Collateral file : input.collateral()) {
      try {
        crls.addAll(Certificates.parseCrls(file.bytes()));
      } catch (CRLException e) {
        problems.add(
            Problem.of(EvidenceProblem.COLLATERAL_MALFORMED, file.name() + " is not a CRL"));
      }
    }
    CrlChecker.Outcome outcome =
        CrlChecker.check(path, crls, context.now(), context.allowStaleCrl());
    for (CrlChecker.Finding finding : outcome.findings()) {
      EvidenceProblem type =
          switch (finding.kind()) {
            case "REVOKED" -> EvidenceProblem.CERTIFICATE_REVOKED;
            case "STALE" -> EvidenceProblem.CRL_STALE;
            default -> EvidenceProblem.CRL_INVALID;
          };
      problems.add(Problem.of(type, finding.detail()));
    }
    boolean checked = outcome.status() == CrlChecker.Status.CHECKED;
    claims.put("revocation", checked ? "checked" : "unchecked");
    if (!checked && context.requireRevocation()) {
      problems.add(
          Problem.of(
              EvidenceProblem.REVOCATION_UNCHECKED, "no CRL covers the AK certificate chain"));
    }
  }
}
