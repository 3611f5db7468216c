// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.arbiter.policy.RecentAppraisals.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The dry run of a proposed appraisal policy over a workload's {@link RecentAppraisals}: how many
 * attestations passed the policy step then and how many would pass now, and every instance whose
 * outcome would flip, with why. Changes nothing.
 *
 * @param workload the workload
 * @param cel the proposed policy
 * @param currentCel the policy in force (null for none)
 * @param currentRevision the hash of the current revision
 * @param sampled how many attestations were evaluated (the latest of each instance)
 * @param oldest the oldest evaluated attestation, or null when none
 * @param newest the newest evaluated attestation, or null when none
 * @param actual what happened: passed (EAR issued) and failed (refused by the policy then in force)
 * @param proposed what the proposed policy would decide (an evaluation error fails)
 * @param flips every attestation whose outcome would change, newest first
 * @param sample what the sample is
 */
@JsonPropertyOrder({
  "workload",
  "cel",
  "current_cel",
  "current_revision",
  "sampled",
  "oldest",
  "newest",
  "actual",
  "proposed",
  "flips",
  "sample"
})
public record AppraisalPreview(
    String workload,
    String cel,
    @JsonProperty("current_cel") String currentCel,
    @JsonProperty("current_revision") String currentRevision,
    int sampled,
    Instant oldest,
    Instant newest,
    Counts actual,
    Counts proposed,
    List<Flip> flips,
    String sample) {

  /** Passed and failed counts. */
  public record Counts(int pass, int fail) {}

  /**
   * One attestation whose outcome would change.
   *
   * @param instanceId the instance
   * @param version the version it matched
   * @param format its CPU evidence format
   * @param at when it was appraised
   * @param actual what happened: {@code affirming}, {@code warning} or {@code refused}
   * @param proposed {@code pass} or {@code fail}
   * @param reason why, with the values of the claims the proposed policy reads
   */
  @JsonPropertyOrder({"instance_id", "version", "format", "at", "actual", "proposed", "reason"})
  public record Flip(
      @JsonProperty("instance_id") String instanceId,
      String version,
      String format,
      Instant at,
      String actual,
      String proposed,
      String reason) {}

  private static final int MAX_VALUE_CHARS = 80;

  /** Evaluates {@code policy} on each sample (newest first). */
  static AppraisalPreview of(
      String workload,
      CelPolicy policy,
      ClaimReferences references,
      PolicyRevision current,
      List<Sample> samples) {
    int actualPass = 0;
    int proposedPass = 0;
    List<Flip> flips = new ArrayList<>();
    for (Sample sample : samples) {
      CelPolicy.Decision decision = policy.evaluate(sample.input().variables(workload));
      boolean passes = decision == CelPolicy.Decision.ALLOW;
      actualPass += sample.passed() ? 1 : 0;
      proposedPass += passes ? 1 : 0;
      if (passes != sample.passed()) {
        flips.add(
            new Flip(
                sample.instanceId(),
                sample.input().version(),
                sample.input().format(),
                sample.at(),
                sample.verdict(),
                passes ? "pass" : "fail",
                reason(decision, sample, references)));
      }
    }
    return new AppraisalPreview(
        workload,
        policy.source(),
        current.appraisal().orElse(null),
        current.hash(),
        samples.size(),
        samples.isEmpty() ? null : samples.getLast().at(),
        samples.isEmpty() ? null : samples.getFirst().at(),
        new Counts(actualPass, samples.size() - actualPass),
        new Counts(proposedPass, samples.size() - proposedPass),
        flips,
        "the latest appraisal of each of up to "
            + RecentAppraisals.INSTANCES_PER_WORKLOAD
            + " recently seen instances that reached the appraisal policy, kept in memory by the"
            + " replica that answered");
  }

  private static String reason(
      CelPolicy.Decision decision, Sample sample, ClaimReferences references) {
    String why =
        switch (decision) {
          case ALLOW ->
              "the proposed policy allows these claims; refused"
                  + (sample.problem() == null ? "" : " (" + sample.problem() + ")")
                  + " under revision "
                  + abbreviate(sample.policyRevision());
          case DENY -> "the proposed policy denies these claims";
          case ERROR ->
              "the proposed policy cannot be evaluated on these claims (a claim it reads is absent"
                  + " or of another type)";
        };
    String read = claimsRead(sample.input(), references);
    return read.isEmpty() ? why : why + "; " + read;
  }

  /** The values of the claims the policy reads, e.g. {@code claims.debug_allowed=true}. */
  private static String claimsRead(AppraisalInput input, ClaimReferences references) {
    StringJoiner out = new StringJoiner(", ");
    references.cpu().stream()
        .sorted()
        .forEach(path -> out.add("claims." + path + "=" + value(input.claims(), path)));
    for (Map<String, Object> device : input.devices()) {
      if (device.get("claims") instanceof Map<?, ?> claims) {
        references.device().stream()
            .sorted()
            .forEach(path ->
                out.add(device.get("format") + ".claims." + path + "=" + value(claims, path)));
      }
    }
    return out.toString();
  }

  private static String value(Map<?, ?> claims, String path) {
    Object current = claims;
    for (String segment : path.split("\\.", -1)) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(segment)) {
        return "(absent)";
      }
      current = map.get(segment);
    }
    String text = String.valueOf(current);
    return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "..." : text;
  }

  private static String abbreviate(String hash) {
    return hash == null || hash.length() <= 12 ? String.valueOf(hash) : hash.substring(0, 12);
  }
}
