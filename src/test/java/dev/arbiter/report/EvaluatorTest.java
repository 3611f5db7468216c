// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import dev.arbiter.tlog.Decision;
import dev.arbiter.tlog.LogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The row semantics on hand-made records (the evaluator is a pure function). */
class EvaluatorTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  static Records.Revision revision(long seq, Instant at, String... accepted) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("workload", "w");
    body.put("seq", seq);
    var list = body.putArray("accepted");
    for (String v : accepted) {
      list.addObject().put("version", v).put("content_hash", "h-" + v);
    }
    body.put("created_at", at.toString());
    body.put("principal", "operator");
    body.put("reason", "r" + seq);
    return new Records.Revision(seq, "rev" + seq, null, body, "k", "s", null, null);
  }

  static Records.DecisionLeaf decision(long index, Instant at, String version, String revision) {
    String leaf =
        LogEntry.decision(
                new Decision(
                    at,
                    "w",
                    "i-" + index,
                    "sample",
                    "00".repeat(32),
                    version,
                    revision,
                    "affirming",
                    List.of(),
                    "jti-" + index))
            .leafText();
    return new Records.DecisionLeaf(index, leaf, null);
  }

  static Records.RolloutRecord rollout(String staged, Instant liveAt, String state, String fin) {
    return new Records.RolloutRecord(
        1,
        List.of("v1"),
        "v2",
        state,
        staged,
        liveAt == null ? null : liveAt.toString(),
        fin,
        T0.plusSeconds(50).toString(),
        "operator",
        "release v2",
        T0.plusSeconds(500).toString());
  }

  static Records records(
      List<Records.Revision> revisions,
      List<Records.DecisionLeaf> decisions,
      List<Records.RolloutRecord> rollouts,
      long checkpointSize) {
    return new Records(
        "w",
        T0.toString(),
        T0.plusSeconds(1000).toString(),
        checkpointSize,
        revisions,
        List.of(),
        decisions,
        List.of(),
        rollouts,
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  static final List<Records.Revision> HISTORY =
      List.of(
          revision(1, T0.plusSeconds(10), "v1"),
          revision(2, T0.plusSeconds(60), "v1", "v2"),
          revision(3, T0.plusSeconds(400), "v2"));

  @Test
  void upgrade7_attestedBeforeLiveOnEveryReplica_notMetNamingIt() {
    Map<String, Row> rows =
        Evaluator.evaluate(
            records(
                HISTORY,
                List.of(decision(5, T0.plusSeconds(70), "v2", "rev2")),
                List.of(rollout("rev2", T0.plusSeconds(90), "COMPLETED", "rev3")),
                100));
    Row row = rows.get("upgrade-7");
    assertThat(row.status()).isEqualTo(Status.NOT_MET);
    assertThat(row.reason())
        .isEqualTo(
            "rollout #1 to v2: v2 attested at 2026-03-01T00:01:10Z before revision #2 was live on"
                + " every replica (live at 2026-03-01T00:01:30Z)");
  }

  @Test
  void upgrade7_liveFirst_oldRemoved_met() {
    Row row =
        Evaluator.evaluate(
                records(
                    HISTORY,
                    List.of(decision(5, T0.plusSeconds(70), "v2", "rev2")),
                    List.of(rollout("rev2", T0.plusSeconds(65), "COMPLETED", "rev3")),
                    100))
            .get("upgrade-7");
    assertThat(row.status()).as(row.reason()).isEqualTo(Status.MET);
  }

  @Test
  void upgrade7_completedButOldStillAccepted_notMet() {
    Row row =
        Evaluator.evaluate(
                records(
                    HISTORY,
                    List.of(),
                    List.of(rollout("rev2", T0.plusSeconds(65), "COMPLETED", "rev2")),
                    100))
            .get("upgrade-7");
    assertThat(row.status()).isEqualTo(Status.NOT_MET);
    assertThat(row.reason()).isEqualTo("rollout #1 to v2: completed but still accepts [v1]");
  }

  @Test
  void upgrade7_noRollout_notApplicable() {
    assertThat(
            Evaluator.evaluate(records(HISTORY, List.of(), List.of(), 0)).get("upgrade-7").status())
        .isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void wg7_attestedBeforeTheRevisionAcceptingIt_notMet() {
    Row row =
        Evaluator.evaluate(
                records(
                    HISTORY,
                    List.of(decision(5, T0.plusSeconds(30), "v2", "rev1")),
                    List.of(),
                    100))
            .get("7");
    assertThat(row.status()).isEqualTo(Status.NOT_MET);
    assertThat(row.reason())
        .contains(
            "v2 attested at 2026-03-01T00:00:30Z before its reference values entered the policy")
        .contains("v2's first attestation used a revision that does not accept it");
  }

  @Test
  void wg12_decisionNotYetCoveredByACheckpoint_notMet() {
    Row row =
        Evaluator.evaluate(
                records(
                    HISTORY,
                    List.of(decision(150, T0.plusSeconds(70), "v2", "rev2")),
                    List.of(),
                    100))
            .get("12");
    assertThat(row.status()).isEqualTo(Status.NOT_MET);
    assertThat(row.reason())
        .isEqualTo("v2's first decision (leaf 150) is not covered by a signed checkpoint yet");
  }

  @Test
  void wg9_acceptedVersionWithoutProvenanceOrSbom_notMet() {
    JsonNode content =
        Json.mapper()
            .createObjectNode()
            .putNull("sbom")
            .set("provenance", Json.mapper().createArrayNode());
    Records base = records(HISTORY, List.of(), List.of(), 0);
    Records withVersion =
        new Records(
            "w",
            base.from(),
            base.to(),
            0,
            base.revisions(),
            List.of(),
            List.of(),
            List.of(new Records.VersionRecord("v2", content, "h-v2", T0.toString(), "ci", false)),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of());
    Row row = Evaluator.evaluate(withVersion).get("9");
    assertThat(row.status()).isEqualTo(Status.NOT_MET);
    assertThat(row.reason())
        .isEqualTo("v2 has no verified provenance; v2 has no SBOM bound to its artifact");
  }

  @Test
  void guidance_recommendsTheLowestFixAboveTheInstalledVersion() {
    assertThat(Evaluator.recommended(List.of("2.0.1", "1.4.2", "1.10.0"), "1.5.0"))
        .isEqualTo("1.10.0");
    assertThat(Evaluator.packageName("pkg:npm/%40scope/lib@1.0.0")).isEqualTo("@scope/lib");
  }
}
