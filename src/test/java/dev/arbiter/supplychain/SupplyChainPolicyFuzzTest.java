// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.problem.ProblemException;

/**
 * Any JSON gives a supply-chain policy or a typed problem (policy-invalid, invalid-cel); never
 * another exception. {@code signer_identities} are operator-chosen regular expressions by design,
 * and Jazzer's regex-injection sanitizer reports every invalid pattern, so that field is dropped
 * here and covered by {@code SupplyChainPolicyTest}.
 */
class SupplyChainPolicyFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse_anyJson_policyOrTypedProblem(byte[] data) {
    JsonNode node;
    try {
      node = Json.readTree(data);
    } catch (java.io.IOException e) {
      return;
    }
    if (node != null && node.isObject()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("signer_identities");
    }
    try {
      SupplyChainPolicy policy = SupplyChainPolicy.parse(node);
      SupplyChainPolicy.parse(policy.normalized());
    } catch (ProblemException e) {
      if (e.problem().type() != SupplyChainProblem.SUPPLY_CHAIN_POLICY_INVALID
          && e.problem().type() != PolicyProblem.INVALID_CEL) {
        throw new AssertionError("unexpected problem type " + e.problem().type(), e);
      }
    }
  }
}
