// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import dev.arbiter.crypto.PublicKeys.TrustedKey;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arm PSA attestation tokens (scheme id {@code psa}), profiles {@code http://arm.com/psa/2.0.0} and
 * {@code PSA_IOT_PROFILE_1}.
 *
 * <p><b>Security guarantee.</b> A valid result means: the token decoded strictly, its COSE_Sign1
 * signature (ES256/384/512) verifies under an Initial Attestation Key that is either configured
 * here or supplied with the evidence ({@code --key}) and applicable to the token's instance id,
 * and, if a binding is expected, the token's nonce equals it (zero-padded). PSA tokens carry no
 * certificate chain and no time: trust is exactly the set of keys. Thread-safe.
 */
public final class PsaScheme implements EvidenceScheme {
  public static final String ID = "psa";
  public static final List<String> CLAIMS =
      List.of(
          "profile",
          "nonce",
          "instance_id",
          "implementation_id",
          "client_id",
          "lifecycle",
          "lifecycle_state",
          "boot_seed",
          "certification_reference",
          "software_components",
          "verification_service");

  /**
   * The byte-string claims and their lengths (PsaToken): the nonce (32, 48 or 64 bytes), the
   * instance id (a 33-byte UEID) and the 32-byte implementation id. {@code boot_seed} may have 8 to
   * 32 bytes, so it is left out.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS =
      Map.of(
          "nonce", Set.of(32, 48, 64),
          "instance_id", Set.of(33),
          "implementation_id", Set.of(32));

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of(
              "application/psa-attestation-token",
              "application/eat-cwt; profile=\"http://arm.com/psa/2.0.0\""),
          CLAIMS,
          BYTE_CLAIMS,
          "Arm PSA attestation token (COSE_Sign1, IAK from --key)",
          new SchemeDescriptor.BindingRule.PrefixOfB(32),
          java.util.Optional.empty(),
          SchemeDescriptor.Kind.CPU,
          false);

  private final AnchorKeys anchors;

  /** A scheme trusting {@code configured} keys in addition to those supplied per call. */
  public PsaScheme(List<TrustedKey> configured) {
    this.anchors = new AnchorKeys(configured);
  }

  /**
   * The production scheme: no built-in keys (no vendor publishes production IAKs); keys come with
   * the evidence.
   */
  public static PsaScheme withSuppliedKeys() {
    return new PsaScheme(List.of());
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    PsaToken token;
    try {
      token = PsaToken.parse(input.evidence());
    } catch (ProblemException e) {
      return new VerificationResult(ID, Claims.empty(), e.problems());
    }
    List<Problem> problems = new ArrayList<>();
    anchors
        .verify(token.cose(), input, token.instanceId(), token.implementationId(), "PSA token")
        .ifPresent(problems::add);
    if (binding instanceof ExpectedBinding.Value expected && !expected.matches(token.nonce())) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH,
              "PSA token nonce differs from the expected challenge"));
    }
    return new VerificationResult(ID, token.claims(), problems);
  }
}
