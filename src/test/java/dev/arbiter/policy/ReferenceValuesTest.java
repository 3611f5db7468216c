// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.schemes.BuiltInSchemes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceValuesTest {
  private static JsonNode json(String text) throws Exception {
    return Json.readTree(text.replace('\'', '"'));
  }

  @Test
  void parse_normalizesHex_andExposesValuesMinimumsAndConfiguration() throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            json(
                "{'sample': {'measurement': ['AABB', 'ccdd'], 'svn': 3, 'min': {'svn': 2}},"
                    + " 'configuration': {'trust_roots': 'SHA256:"
                    + "A".repeat(64)
                    + "'}}"),
            BuiltInSchemes.registry());
    assertThat(values.schemes()).containsExactly("sample");
    assertThat(values.expected("sample").get("measurement"))
        .extracting(JsonNode::asText)
        .containsExactly("aabb", "ccdd");
    assertThat(values.minimums("sample")).isEqualTo(Map.of("svn", 2L));
    assertThat(values.configuration().orElseThrow().path("trust_roots").asText())
        .isEqualTo("sha256:" + "a".repeat(64));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                                  | $:",
        "{}                                                  | $:",
        "{'nope': {'x': 1}}                                  | nope:",
        "{'sample': {}}                                      | sample:",
        "{'sample': {'measurment': 'aa'}}                    | sample.measurment:",
        "{'sample': {'measurement': []}}                     | sample.measurement:",
        "{'sample': {'measurement': {'a': 1}}}               | sample.measurement:",
        "{'sample': {'measurement': 1.5}}                    | sample.measurement:",
        "{'sample': {'measurement': ['aa', null]}}           | sample.measurement[1]:",
        "{'sample': {'min': {'svn': -1}}}                    | sample.min.svn:",
        "{'sample': {'min': {'svm': 1}}}                     | sample.min.svm:",
        "{'sample': {'svn': 1}, 'configuration': {'X': 'sha256:00'}} | configuration.X:",
        "{'sample': {'svn': 1}, 'configuration': {'crypto': 'sha256:00'}} | configuration.crypto:",
      })
  void parse_malformed_isRefusedNamingTheField(String document, String fieldPrefix) {
    assertThatThrownBy(() -> ReferenceValues.parse(json(document), BuiltInSchemes.registry()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().type()).isEqualTo(PolicyProblem.INVALID_REFERENCE_VALUES);
              assertThat(e.problem().detail()).startsWith(fieldPrefix);
            });
  }

  @Test
  void objectives_parse_validatesDurationsAndActions() throws Exception {
    assertThat(
            Objectives.parse(json("{'critical': {'deadline': 'PT72H', 'on_deadline': 'revoke'}}"))
                .toString())
        .isEqualTo("{\"critical\":{\"deadline\":\"PT72H\",\"on_deadline\":\"revoke\"}}");
    assertThat(
            Objectives.parse(json("{'high': {'deadline': 'P7D'}}"))
                .path("high")
                .path("on_deadline")
                .asText())
        .isEqualTo("escalate");
    assertThatThrownBy(() ->
            Objectives.parse(json("{'critical': {'deadline': 'PT72H', 'on_deadline': 'panic'}}")))
        .hasMessageContaining("critical.on_deadline");
    assertThatThrownBy(() -> Objectives.parse(json("{'critical': {'deadline': '-PT1H'}}")))
        .hasMessageContaining("critical.deadline");
    assertThatThrownBy(() -> Objectives.parse(json("{'critical': {'deadline': 'PT1H', 'x': 1}}")))
        .hasMessageContaining("critical.x");
  }

  @Test
  void celPolicy_compilesBooleanExpressions_andDeniesOnError() {
    var compiled =
        CelPolicy.compile("claims.svn >= 2 && format == 'sample'", CelPolicy.APPRAISAL_VARIABLES);
    assertThat(compiled.error()).isNull();
    CelPolicy policy = compiled.policy().orElseThrow();
    Map<String, Object> vars =
        Map.of("claims", Map.of("svn", 3L), "format", "sample", "workload", "w", "version", "v");
    assertThat(policy.evaluate(vars)).isEqualTo(CelPolicy.Decision.ALLOW);
    assertThat(
            policy.evaluate(
                Map.of(
                    "claims",
                    Map.of("svn", 1L),
                    "format",
                    "sample",
                    "workload",
                    "w",
                    "version",
                    "v")))
        .isEqualTo(CelPolicy.Decision.DENY);
    assertThat(
            policy.evaluate(
                Map.of("claims", Map.of(), "format", "sample", "workload", "w", "version", "v")))
        .isEqualTo(CelPolicy.Decision.ERROR);
    assertThat(CelPolicy.compile("claims.svn +", CelPolicy.APPRAISAL_VARIABLES).error())
        .contains("mismatched input");
    assertThat(CelPolicy.compile("42", CelPolicy.APPRAISAL_VARIABLES).policy()).isEmpty();
    CelPolicy macros =
        CelPolicy.compile(
                "!has(claims.debug) && [1, 2].all(x, x > 0)", CelPolicy.APPRAISAL_VARIABLES)
            .policy()
            .orElseThrow();
    assertThat(
            macros.evaluate(
                Map.of("claims", Map.of(), "format", "f", "workload", "w", "version", "v")))
        .isEqualTo(CelPolicy.Decision.ALLOW);
    assertThat(CelPolicy.compile("unknown_var == 1", CelPolicy.APPRAISAL_VARIABLES).error())
        .contains("unknown_var");
  }
}
