// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every problem type Arbiter can emit. Each domain contributes one enum; add a new enum here (one
 * line) and its rows to {@code docs/problems.md}. {@code ProblemCatalogTest} fails when the two
 * differ and prints the rows to paste.
 */
public final class ProblemCatalog {
  private static final List<Class<? extends Enum<? extends ProblemType>>> DOMAINS =
      List.of(
          CommonProblem.class,
          dev.arbiter.evidence.EvidenceProblem.class,
          dev.arbiter.policy.PolicyProblem.class,
          dev.arbiter.token.TokenProblem.class,
          dev.arbiter.appraisal.AppraisalProblem.class,
          dev.arbiter.rollout.RolloutProblem.class,
          dev.arbiter.supplychain.sbom.SbomProblem.class,
          dev.arbiter.supplychain.osv.AdvisoryProblem.class,
          dev.arbiter.supplychain.provenance.core.ProvenanceProblem.class,
          dev.arbiter.keybroker.KeyBrokerProblem.class,
          dev.arbiter.collateral.CollateralProblem.class,
          dev.arbiter.supplychain.SupplyChainProblem.class,
          dev.arbiter.tlog.LogProblem.class,
          dev.arbiter.report.ReportProblem.class,
          dev.arbiter.retention.RetentionProblem.class);

  private static final Map<String, ProblemType> BY_SLUG = index();

  private ProblemCatalog() {}

  private static Map<String, ProblemType> index() {
    Map<String, ProblemType> bySlug = new LinkedHashMap<>();
    for (var domain : DOMAINS) {
      for (Object constant : domain.getEnumConstants()) {
        ProblemType type = (ProblemType) constant;
        ProblemType previous = bySlug.put(type.slug(), type);
        if (previous != null) {
          throw new IllegalStateException("problem slug used twice: " + type.slug());
        }
      }
    }
    return Collections.unmodifiableMap(bySlug);
  }

  /** All problem types, in catalog order. */
  public static List<ProblemType> all() {
    return new ArrayList<>(BY_SLUG.values());
  }

  public static Optional<ProblemType> bySlug(String slug) {
    return Optional.ofNullable(BY_SLUG.get(slug));
  }

  static List<String> domainNames() {
    return Arrays.stream(DOMAINS.toArray(new Class<?>[0])).map(Class::getSimpleName).toList();
  }
}
