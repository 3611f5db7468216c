// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an appraisal policy sees of one attestation that reached it: the CPU evidence's format and
 * normalized claims, the matched version, and each attested device's format and claims. The
 * appraiser evaluates the policy on {@link #variables}, and a dry run evaluates a proposed policy
 * on the same variables of recent attestations ({@link RecentAppraisals}). Immutable.
 *
 * @param format the CPU evidence's scheme id
 * @param version the matched version's label
 * @param claims the CPU TEE's normalized claims (immutable, as {@code Claims.values()})
 * @param devices one {@code {format, claims}} map per attested device, in order
 */
public record AppraisalInput(
    String format, String version, Map<String, Object> claims, List<Map<String, Object>> devices) {
  public AppraisalInput {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(claims, "claims");
    devices = List.copyOf(devices);
  }

  /** A device's variable: {@code {format, claims}}. */
  public static Map<String, Object> device(String format, Map<String, Object> claims) {
    return Map.of("format", format, "claims", claims);
  }

  /** The variables of {@link CelPolicy#APPRAISAL_VARIABLES} for {@code workload}. */
  public Map<String, Object> variables(String workload) {
    return Map.of(
        "claims",
        claims,
        "format",
        format,
        "workload",
        workload,
        "version",
        version,
        "devices",
        devices);
  }
}
