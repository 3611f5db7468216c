// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.token.VerifiedEar;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Release policies: boolean CEL over the verified Attestation Result. Variables: {@code ear} (the
 * full verified claims map), {@code status} (overall status label), {@code workload}, {@code
 * version}, {@code policy_revision}, {@code dev}, {@code vulnerabilities} (the first submodule's
 * {@code arbiter.*} claims), {@code submods} (the submodule map) and {@code tee} (the RFC 7638
 * thumbprint of the {@code cnf} key). Compiled at submission; compiled programs are cached by
 * source. An evaluation error denies. Thread-safe.
 */
final class ReleasePolicy {
  static final Map<String, CelType> VARIABLES = variables();
  private static final int CACHE_LIMIT = 1024;
  private static final Map<String, CelPolicy> CACHE = new ConcurrentHashMap<>();

  private ReleasePolicy() {}

  private static Map<String, CelType> variables() {
    Map<String, CelType> vars = new LinkedHashMap<>();
    vars.put("ear", CelPolicy.dynMap());
    vars.put("status", SimpleType.STRING);
    vars.put("workload", SimpleType.STRING);
    vars.put("version", SimpleType.STRING);
    vars.put("policy_revision", SimpleType.STRING);
    vars.put("dev", SimpleType.BOOL);
    vars.put("vulnerabilities", ListType.create(SimpleType.DYN));
    vars.put("submods", CelPolicy.dynMap());
    vars.put("tee", SimpleType.STRING);
    return Map.copyOf(vars);
  }

  /**
   * Compiles a release policy or throws {@link PolicyProblem#INVALID_CEL} with the compiler's
   * message.
   */
  static CelPolicy compile(String source) {
    CelPolicy cached = CACHE.get(source == null ? "" : source);
    if (cached != null) {
      return cached;
    }
    CelPolicy.Compiled compiled = CelPolicy.compile(source, VARIABLES);
    CelPolicy policy =
        compiled
            .policy()
            .orElseThrow(() ->
                new ProblemException(
                    PolicyProblem.INVALID_CEL, "release policy: " + compiled.error()));
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
    }
    CACHE.put(source, policy);
    return policy;
  }

  /**
   * The variables a release policy sees for a verified EAR bound to the key with {@code
   * thumbprint}.
   */
  static Map<String, Object> bind(VerifiedEar ear, String thumbprint) {
    Map<String, Object> first =
        ear.submods().values().stream()
            .findFirst()
            .map(VerifiedEar.Appraisal::claims)
            .orElse(Map.of());
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("ear", ear.claims());
    vars.put("status", ear.status().label());
    vars.put("workload", text(first.get("arbiter.workload")));
    vars.put("version", text(first.get("arbiter.version")));
    vars.put("policy_revision", text(first.get("arbiter.policy_revision")));
    vars.put("dev", Boolean.TRUE.equals(first.get("arbiter.dev")));
    vars.put(
        "vulnerabilities",
        first.get("arbiter.vulnerabilities") instanceof List<?> list ? list : List.of());
    vars.put(
        "submods", ear.claims().get("submods") instanceof Map<?, ?> submods ? submods : Map.of());
    vars.put("tee", thumbprint);
    return vars;
  }

  private static String text(Object value) {
    return value instanceof String string ? string : "";
  }
}
