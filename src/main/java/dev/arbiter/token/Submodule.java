// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One appraised attester component in an EAR ({@code submods} entry): its status, trustworthiness
 * vector, the appraisal policies applied, and Arbiter's namespaced claims ({@code
 * arbiter.workload}, {@code arbiter.version}, {@code arbiter.policy_revision}, {@code
 * arbiter.vulnerabilities}, {@code arbiter.dev}, ...).
 */
public record Submodule(
    EarStatus status, TrustVector vector, List<String> policyIds, Map<String, Object> extensions) {
  public Submodule {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(vector, "vector");
    policyIds = List.copyOf(policyIds);
    extensions = Map.copyOf(extensions);
    if (status.worse(vector.worstTier()) != status && vector.worstTier() != EarStatus.NONE) {
      throw new IllegalArgumentException(
          "status "
              + status.label()
              + " is more trusting than its vector ("
              + vector.worstTier().label()
              + ")");
    }
  }
}
