// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.osv.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and normalizing the supply-chain policy document. */
class SupplyChainPolicyTest {
  static SupplyChainPolicy parse(Object document) {
    return SupplyChainPolicy.parse(Json.mapper().valueToTree(document));
  }

  static String refusal(Object document) {
    try {
      parse(document);
      return "accepted";
    } catch (ProblemException e) {
      return e.problem().type().slug() + ": " + e.problem().detail();
    }
  }

  @Test
  void defaults_normalizedForm() {
    SupplyChainPolicy policy = parse(Map.of());
    assertThat(policy.configured()).isTrue();
    assertThat(policy.quorum()).isEqualTo(1);
    assertThat(policy.requireSbom()).isTrue();
    assertThat(
            policy.vulnerabilities().blocks(new Severity(Severity.Label.CRITICAL, 9.8, null, "x")))
        .isTrue();
    assertThat(policy.vulnerabilities().blocks(new Severity(Severity.Label.HIGH, 8.9, null, "x")))
        .isFalse();
    assertThat(Json.write(policy.normalized()))
        .contains("\"quorum\":1")
        .contains("\"block_severities\":[\"CRITICAL\"]");
    assertThat(SupplyChainPolicy.parse(policy.normalized()).normalized())
        .isEqualTo(policy.normalized());
  }

  @Test
  void invalidDocuments_typedProblemNamingTheField() {
    assertThat(refusal(Map.of("signer_identities", List.of("("))))
        .startsWith("supply-chain-policy-invalid: signer_identities");
    assertThat(refusal(Map.of("quorum", 17))).startsWith("supply-chain-policy-invalid: quorum");
    assertThat(refusal(Map.of("vulnerabilities", Map.of("block_severities", List.of("SEVERE")))))
        .contains("vulnerabilities.block_severities");
    assertThat(refusal(Map.of("derive", Map.of("scheme", "sample")))).contains("derive");
    assertThat(refusal(Map.of("phase_out_objective", "Critical!"))).contains("phase_out_objective");
    assertThat(refusal(Map.of("trusted_root", "x"))).contains("trusted_root");
    assertThatThrownBy(() -> parse(Map.of("cel", "statement.predicate == 1 +")))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(PolicyProblem.INVALID_CEL));
  }

  @Test
  void identitiesMustMatchEntirely() {
    SupplyChainPolicy policy =
        parse(Map.of("signer_identities", List.of("https://github\\.com/example/.*")));
    assertThat(policy.signerIdentities().get(0).matcher("https://github.com/example/app").matches())
        .isTrue();
    assertThat(
            policy
                .signerIdentities()
                .get(0)
                .matcher("https://evil.test/?https://github.com/example/app")
                .matches())
        .isFalse();
  }
}
