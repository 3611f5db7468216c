// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.PublicKeys.TrustedKey;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.psa.AnchorKeys;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * Arm CCA attestation tokens (scheme id {@code cca}): a realm token and the platform token it is
 * bound to.
 *
 * <p><b>Security guarantee.</b> A valid result means: the token collection decoded strictly, the
 * realm token's signature verifies under the RAK it carries, the platform challenge equals the hash
 * (realm claim 44240's algorithm) of the RAK bytes — binding the realm to this platform — the
 * platform token's signature verifies under a CPAK configured here or supplied with the evidence
 * ({@code --key}, a PEM/JWK key or a Veraison trust-anchor list keyed by instance id), and, if a
 * binding is expected, the realm challenge equals it. No certificates and no time are involved.
 * Thread-safe.
 */
public final class CcaScheme implements EvidenceScheme {
  public static final String ID = "cca";

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of(
              "application/eat-collection; profile=\"http://arm.com/CCA-SSD/1.0.0\"",
              "application/eat-collection; profile=\"tag:arm.com,2023:cca_platform#1.0.0\""),
          CcaClaims.NAMES,
          CcaClaims.BYTE_CLAIMS,
          "Arm CCA attestation token (realm + platform, RAK binding, CPAK from --key)",
          new SchemeDescriptor.BindingRule.RealmChallenge(),
          java.util.Optional.empty(),
          SchemeDescriptor.Kind.CPU,
          false);

  private final AnchorKeys anchors;

  /** A scheme trusting {@code configured} CPAKs in addition to those supplied per call. */
  public CcaScheme(List<TrustedKey> configured) {
    this.anchors = new AnchorKeys(configured);
  }

  /**
   * The production scheme: no built-in CPAKs (no production CCA endorsements are public); keys come
   * with the evidence.
   */
  public static CcaScheme withSuppliedKeys() {
    return new CcaScheme(List.of());
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    CcaToken token;
    try {
      token = CcaToken.parse(input.evidence());
    } catch (ProblemException e) {
      return new VerificationResult(ID, Claims.empty(), e.problems());
    }
    List<Problem> problems = new ArrayList<>();
    CcaRealm realm = token.realm();
    if (token.realmCose().algorithm().keyMismatch(realm.rak()).isPresent()) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID,
              "CCA realm token: " + token.realmCose().algorithm().keyMismatch(realm.rak()).get()));
    } else if (!token.realmCose().verify(realm.rak())) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID,
              "CCA realm token signature does not verify under its RAK"));
    }
    bindingProblem(token).ifPresent(problems::add);
    anchors
        .verify(
            token.platformCose(),
            input,
            token.platform().instanceId(),
            token.platform().implementationId(),
            "CCA platform token")
        .ifPresent(problems::add);
    if (binding instanceof ExpectedBinding.Value expected && !expected.matches(realm.challenge())) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH,
              "CCA realm challenge differs from the expected value"));
    }
    return new VerificationResult(ID, CcaClaims.of(token), problems);
  }

  private static java.util.Optional<Problem> bindingProblem(CcaToken token) {
    String algorithm = token.realm().rakHashAlgorithm();
    String jca =
        switch (algorithm) {
          case "sha-256" -> "SHA-256";
          case "sha-384" -> "SHA-384";
          case "sha-512" -> "SHA-512";
          default -> null;
        };
    if (jca == null) {
      return java.util.Optional.of(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "CCA realm public key hash algorithm '" + algorithm + "' is not supported"));
    }
    byte[] expected = Digests.digest(jca, token.realm().rakBytes());
    if (!Digests.constantTimeEquals(expected, token.platform().challenge())) {
      return java.util.Optional.of(
          Problem.of(
              EvidenceProblem.KEY_BINDING_INVALID,
              "CCA platform challenge is not the "
                  + algorithm
                  + " hash of the realm's RAK: the realm is not bound to this platform"));
    }
    return java.util.Optional.empty();
  }
}
